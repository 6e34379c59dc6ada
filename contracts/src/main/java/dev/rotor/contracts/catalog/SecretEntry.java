package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One secret of the catalog (design §5). Material never appears here.
 *
 * @param channels the names of the {@code notify.channels} that hear of this secret's rotations
 * @param reload how the consumers pick up a new value (RELOAD_CONSUMERS after UPDATE_SECRET); empty = no step
 * @param cascade  when {@code related} entries are rotated with this one: {@code emergency} (the default) or
 *                 {@code always}
 * @param userNotice what the app's end users are told after UPDATE_SECRET (through a webhook or e-mail channel); null =
 *                   nothing
 * @param retireWhen the usage gate of RETIRE_PREVIOUS: retire once the previous version is no longer used; null =
 *                   retire when the grace ends
 * @param rollout a rolling cohort rollout over the targets, in waves each held by a gate; null = every target at once
 */
public record SecretEntry(String id, SecretKind kind, Strategy strategy, EmergencySpec emergency,
        GeneratorSpec generator, StoreRef store, List<TargetSpec> targets, CredentialSpec credential,
        ReencryptSpec reencrypt, DrainSpec drain, ScheduleSpec schedule, String grace, List<String> related,
        @JsonProperty("notify") List<String> channels, ApprovalSpec approval, List<WindowSpec> windows,
        @JsonProperty("max-age") String maxAge, List<ReloadSpec> reload, String cascade,
        @JsonProperty("user-notice") UserNoticeSpec userNotice, @JsonProperty("retire-when") RetireWhenSpec retireWhen,
        RolloutSpec rollout) {
    public static final String CASCADE_EMERGENCY = "emergency";
    public static final String CASCADE_ALWAYS = "always";
    /** Grace when the entry gives none: the design's 48 h for keeping the previous version. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(48);

    public SecretEntry {
        targets = targets == null ? List.of() : List.copyOf(targets);
        related = related == null ? List.of() : List.copyOf(related);
        channels = channels == null ? List.of() : List.copyOf(channels);
        windows = windows == null ? List.of() : List.copyOf(windows);
        reload = reload == null ? List.of() : List.copyOf(reload);
    }

    /** The plan for an emergency: the entry's own, else immediate for signing keys, tokens and peppers. */
    public Strategy emergencyStrategy() {
        if (emergency != null && emergency.strategy() != null) {
            return emergency.strategy();
        }
        return kind != null && kind.invalidatedAtOnceInEmergency() ? Strategy.IMMEDIATE : strategy;
    }

    /** The approval a rotation with this trigger needs before it runs, if any (dry runs need none). */
    public java.util.Optional<ApprovalSpec> approvalFor(dev.rotor.contracts.messages.Trigger trigger) {
        if (approval == null || (trigger == dev.rotor.contracts.messages.Trigger.EMERGENCY
                && approval.emergencySkips())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(approval);
    }

    /** How old the current version may grow before the entry is out of policy (compliance report); empty = none. */
    public java.util.Optional<Duration> maxAgeDuration() {
        return maxAge == null ? java.util.Optional.empty() : java.util.Optional.of(Durations.parse(maxAge));
    }

    /** Whether a rotation of this entry with {@code trigger} also starts rotations of its {@code related} entries. */
    public boolean cascadesOn(dev.rotor.contracts.messages.Trigger trigger) {
        return !related.isEmpty() && (CASCADE_ALWAYS.equals(cascade)
                || trigger == dev.rotor.contracts.messages.Trigger.EMERGENCY);
    }

    public Duration graceDuration() {
        return grace == null ? DEFAULT_GRACE : Durations.parse(grace);
    }
}
