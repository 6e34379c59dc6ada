package dev.rotor.orchestrator.chat;

import dev.rotor.auth.Roles;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Slack user ids and the Rotor roles each holds, from {@code rotor.slack.users}: entries {@code USERID=role} or
 * {@code USERID=role+role}, roles as the API names them ({@link Roles}), each with the roles it includes. An entry
 * that cannot be read stops the start-up, naming the entry (ids and role names are not secrets).
 */
public final class SlackUsers {
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");

    private final Map<String, Set<String>> roles;

    private SlackUsers(Map<String, Set<String>> roles) {
        this.roles = roles;
    }

    public static SlackUsers parse(List<String> entries) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String user = eq < 0 ? entry : entry.substring(0, eq).trim();
            if (eq < 0 || !USER_ID.matcher(user).matches()) {
                throw new IllegalArgumentException("rotor.slack.users: entry '" + entry + "' is not USERID=role"
                        + " (a Slack user id such as U0123ABCD, then one or more of " + String.join(", ", Roles.ALL)
                        + " joined by '+')");
            }
            Set<String> held = new LinkedHashSet<>();
            for (String role : entry.substring(eq + 1).split("\\+")) {
                String name = role.trim();
                if (!Roles.ALL.contains(name) || Roles.SERVICE.equals(name)) {
                    throw new IllegalArgumentException("rotor.slack.users: entry '" + entry + "' names the role '"
                            + name + "'; a person holds viewer, operator, responder or approver");
                }
                held.addAll(Roles.withImplied(name));
            }
            if (out.put(user, Set.copyOf(held)) != null) {
                throw new IllegalArgumentException("rotor.slack.users: user " + user + " is listed twice");
            }
        }
        return new SlackUsers(Map.copyOf(out));
    }

    /** The roles of a Slack user; empty when the user is not mapped. */
    public Set<String> rolesOf(String userId) {
        return userId == null ? Set.of() : roles.getOrDefault(userId, Set.of());
    }
}
