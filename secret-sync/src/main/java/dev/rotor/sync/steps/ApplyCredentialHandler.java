package dev.rotor.sync.steps;

import dev.rotor.contracts.catalog.CredentialSpec;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.credential.Datasource;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.VersionEditor;
import java.util.List;

/**
 * APPLY_CREDENTIAL: the staged version becomes the role's password ({@code ALTER ROLE} with a SCRAM verifier), then a
 * fresh login as the role proves it before UPDATE_SECRET promotes it; a failed login restores the old password.
 *
 * <p>{@code credential}: the one role; the old password is {@code fromVersion}'s value. {@code alternating-users}:
 * the role NOT in use ({@code active-role} in the store's metadata, default the first of {@code roles}); which role a
 * version belongs to is recorded as {@code role.v<N>} before the change, and its old password is the newest earlier
 * version of that role that still has material.
 *
 * <p>Idempotent by value: a replay sets the same password again (a new salt, the same secret) and logs in again.
 * The compensation sets the old password again and checks it the same way; when forward never ran, that changes
 * nothing.
 */
final class ApplyCredentialHandler {
    static final String ACTIVE_ROLE = "active-role";

    private ApplyCredentialHandler() {
    }

    /** The role and its new and old passwords; {@link #toString()} names the role only. */
    record Plan(String role, String next, String old) {
        @Override
        public String toString() {
            return "Plan[role=" + role + "]";
        }
    }

    static StepResult forward(StepRequested cmd, SecretStore store, Datasource ds, CredentialApplier applier) {
        Integer to = cmd.spec().toVersion();
        if (to == null) {
            throw new StepException("APPLY_CREDENTIAL for " + cmd.spec().secretId() + " has no spec.toVersion", false);
        }
        Plan plan = store.update(cmd.spec().store().path(), ed -> plan(cmd, ed, to, true));
        applier.apply(ds, plan.role(), plan.next(), plan.old());
        return cmd.succeeded(cmd.spec().fromVersion(), to, "version " + to + " is the password of role " + plan.role()
                + " in datasource " + ds.name() + "; a fresh login with it succeeded");
    }

    static StepResult compensate(StepRequested cmd, SecretStore store, Datasource ds, CredentialApplier applier) {
        Integer to = cmd.spec().toVersion();
        Plan plan = to == null ? null : store.update(cmd.spec().store().path(), ed -> plan(cmd, ed, to, false));
        if (plan == null || plan.role() == null) {
            return cmd.compensated("no password was applied for this rotation");
        }
        if (plan.old() == null) {
            return cmd.compensated("role " + plan.role() + " has no earlier password known to Rotor; nothing to restore");
        }
        applier.restore(ds, plan.role(), plan.old());
        return cmd.compensated("the old password of role " + plan.role() + " is set again and logs in");
    }

    private static Plan plan(StepRequested cmd, VersionEditor ed, int to, boolean forward) {
        CredentialSpec c = cmd.spec().credential();
        if (cmd.spec().strategy() != Strategy.ALTERNATING_USERS) {
            Integer from = cmd.spec().fromVersion();
            String old = from == null ? null : ed.value(from);
            return new Plan(c.role(), forward ? ed.value(to) : null, old);
        }
        List<String> roles = c.roles();
        String role = ed.attribute(roleKey(to)).orElse(null);
        if (role == null && forward) {
            String active = ed.attribute(ACTIVE_ROLE).orElse(roles.get(0));
            role = roles.get(0).equals(active) ? roles.get(1) : roles.get(0);
            Integer from = cmd.spec().fromVersion();
            if (from != null && ed.attribute(roleKey(from)).isEmpty()) {
                ed.setAttribute(roleKey(from), active); // e.g. the adopted version: it is the in-use role's password
            }
            ed.setAttribute(roleKey(to), role); // recorded before the change, so a replay picks the same role
        }
        String old = null;
        for (int v = to - 1; role != null && v >= 1 && old == null; v--) {
            int n = v;
            if (role.equals(ed.attribute(roleKey(n)).orElse(null))
                    && ed.version(n).map(x -> !x.destroyed()).orElse(false)) {
                old = ed.value(n);
            }
        }
        return new Plan(role, forward ? ed.value(to) : null, old);
    }

    static String roleKey(int version) {
        return "role.v" + version;
    }
}
