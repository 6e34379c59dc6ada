package dev.rotor.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {

    @Test
    void theVerifierHasPostgresFormatAFreshSaltAndNoPassword() {
        String a = ScramVerifier.of("correct horse");
        String b = ScramVerifier.of("correct horse");
        assertThat(a).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}")
                .doesNotContain("correct", "horse").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring(19, 43))).hasSize(16);
    }

    @Test
    void theSameSaltGivesTheSameVerifier() {
        byte[] salt = new byte[16];
        assertThat(ScramVerifier.of("pw", salt, 4096)).isEqualTo(ScramVerifier.of("pw", salt, 4096))
                .isNotEqualTo(ScramVerifier.of("pw2", salt, 4096));
    }

    @Test
    void roleNamesMustBePlainIdentifiers() {
        assertThat(RoleNames.quoted("app_user", "credential.role")).isEqualTo("\"app_user\"");
        assertThatThrownBy(() -> RoleNames.quoted("x\"; DROP ROLE postgres; --", "credential.role"))
                .hasMessageStartingWith("credential.role must be a plain PostgreSQL identifier");
    }
}
