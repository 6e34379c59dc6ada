package dev.rotor.orchestrator.chat;

import dev.rotor.auth.Roles;
import java.util.List;
import java.util.Locale;

/**
 * One {@code /rotor} command, read from the slash command's text or from a button of a milestone message.
 *
 * @param argument the secret id or rotation id the command names; null where it takes none
 * @param reason   the free text after the argument (rotate, emergency); null when none was given
 */
public record ChatCommand(Kind kind, String argument, String reason) {
    /** The commands, and the Rotor roles that may run each (any one of them). */
    public enum Kind {
        ROTATE(List.of(Roles.OPERATOR)),
        EMERGENCY(List.of(Roles.RESPONDER)),
        STATUS(List.of(Roles.VIEWER)),
        APPROVE(List.of(Roles.APPROVER, Roles.RESPONDER)),
        ABORT(List.of(Roles.RESPONDER)),
        HELP(List.of());

        private final List<String> roles;

        Kind(List<String> roles) {
            this.roles = roles;
        }

        /** The roles that may run it; empty for anyone whose request Slack signed. */
        public List<String> roles() {
            return roles;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A command that cannot be read; its message is the answer, naming what is wrong. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    public static final String USAGE = String.join("\n",
            "`/rotor rotate SECRET [reason]` start a MANUAL rotation (operator)",
            "`/rotor emergency SECRET reason` start an EMERGENCY rotation (responder)",
            "`/rotor status [SECRET|ID]` active rotations, a secret's latest rotation, or one rotation (viewer)",
            "`/rotor approve ID` approve a rotation awaiting approval (approver, or responder where the entry allows)",
            "`/rotor abort ID` abort a rotation; it compensates (responder)",
            "`/rotor help` this text");

    /** Reads the slash command's text ({@code rotate jwt-secret quarterly}). */
    public static ChatCommand parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            return new ChatCommand(Kind.HELP, null, null);
        }
        String[] parts = trimmed.split("\\s+", 3);
        String word = parts[0].toLowerCase(Locale.ROOT);
        String argument = parts.length > 1 ? parts[1] : null;
        String rest = parts.length > 2 ? parts[2].trim() : null;
        Kind kind = switch (word) {
            case "rotate" -> Kind.ROTATE;
            case "emergency" -> Kind.EMERGENCY;
            case "status" -> Kind.STATUS;
            case "approve" -> Kind.APPROVE;
            case "abort" -> Kind.ABORT;
            case "help" -> Kind.HELP;
            default -> throw new Unreadable("Unknown command `" + Replies.escape(Replies.cut(word, 40))
                    + "`. Commands:\n" + USAGE);
        };
        switch (kind) {
            case ROTATE, EMERGENCY, APPROVE, ABORT -> {
                if (argument == null) {
                    throw new Unreadable("`/rotor " + kind.word() + "` needs "
                            + (kind == Kind.ROTATE || kind == Kind.EMERGENCY ? "a secret id" : "a rotation id")
                            + ". Commands:\n" + USAGE);
                }
            }
            default -> {
            }
        }
        if (kind == Kind.EMERGENCY && rest == null) {
            throw new Unreadable("`/rotor emergency SECRET reason` needs a reason: it goes into the audit log and "
                    + "the report.");
        }
        if (kind != Kind.ROTATE && kind != Kind.EMERGENCY && rest != null) {
            throw new Unreadable("`/rotor " + kind.word() + "` takes " + switch (kind) {
                case HELP -> "nothing";
                case STATUS -> "at most one secret id or rotation id";
                default -> "one rotation id";
            } + " and nothing after it.");
        }
        return new ChatCommand(kind, kind == Kind.HELP ? null : argument,
                kind == Kind.ROTATE || kind == Kind.EMERGENCY ? rest : null);
    }
}
