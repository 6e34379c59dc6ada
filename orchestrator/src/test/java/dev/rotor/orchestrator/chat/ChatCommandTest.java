package dev.rotor.orchestrator.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.orchestrator.chat.ChatCommand.Kind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatCommandTest {
    @Test
    void readsEveryCommand() {
        assertThat(ChatCommand.parse("rotate jwt-secret quarterly  policy"))
                .isEqualTo(new ChatCommand(Kind.ROTATE, "jwt-secret", "quarterly  policy"));
        assertThat(ChatCommand.parse("rotate jwt-secret")).isEqualTo(new ChatCommand(Kind.ROTATE, "jwt-secret", null));
        assertThat(ChatCommand.parse("  EMERGENCY jwt-secret leaked in git "))
                .isEqualTo(new ChatCommand(Kind.EMERGENCY, "jwt-secret", "leaked in git"));
        assertThat(ChatCommand.parse("status")).isEqualTo(new ChatCommand(Kind.STATUS, null, null));
        assertThat(ChatCommand.parse("status jwt-secret")).isEqualTo(new ChatCommand(Kind.STATUS, "jwt-secret", null));
        assertThat(ChatCommand.parse("approve 0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99"))
                .isEqualTo(new ChatCommand(Kind.APPROVE, "0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99", null));
        assertThat(ChatCommand.parse("abort x")).isEqualTo(new ChatCommand(Kind.ABORT, "x", null));
        assertThat(ChatCommand.parse("help")).isEqualTo(new ChatCommand(Kind.HELP, null, null));
        assertThat(ChatCommand.parse("")).isEqualTo(new ChatCommand(Kind.HELP, null, null));
    }

    @Test
    void refusesWhatItCannotReadNamingWhatIsMissing() {
        assertThatThrownBy(() -> ChatCommand.parse("emergency jwt-secret")).isInstanceOf(ChatCommand.Unreadable.class)
                .hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> ChatCommand.parse("rotate")).hasMessageStartingWith("`/rotor rotate` needs a secret id");
        assertThatThrownBy(() -> ChatCommand.parse("approve")).hasMessageStartingWith("`/rotor approve` needs a rotation id");
        assertThatThrownBy(() -> ChatCommand.parse("abort a b")).hasMessage("`/rotor abort` takes one rotation id and"
                + " nothing after it.");
        assertThatThrownBy(() -> ChatCommand.parse("delete <everything>"))
                .hasMessageStartingWith("Unknown command `delete`. Commands:\n`/rotor rotate SECRET [reason]`");
    }

    @Test
    void mapsSlackUsersToRolesWithTheRolesTheyInclude() {
        SlackUsers users = SlackUsers.parse(List.of("U0RESP=responder", " U0BOTH = approver+operator", ""));
        assertThat(users.rolesOf("U0RESP")).isEqualTo(Set.of("responder", "operator", "viewer"));
        assertThat(users.rolesOf("U0BOTH")).isEqualTo(Set.of("approver", "operator", "viewer"));
        assertThat(users.rolesOf("U0OTHER")).isEmpty();
        assertThatThrownBy(() -> SlackUsers.parse(List.of("U0X=admin"))).hasMessageContaining("'U0X=admin'")
                .hasMessageContaining("'admin'");
        assertThatThrownBy(() -> SlackUsers.parse(List.of("U0X=service"))).hasMessageContaining("'service'");
        assertThatThrownBy(() -> SlackUsers.parse(List.of("alice=viewer"))).hasMessageContaining("not USERID=role");
        assertThatThrownBy(() -> SlackUsers.parse(List.of("U0X=viewer", "U0X=operator")))
                .hasMessageContaining("listed twice");
    }
}
