package dev.rotor.sync.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.store.LocalStoreFormat;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.credential.CredentialException;
import dev.rotor.sync.credential.Datasource;
import dev.rotor.sync.credential.DatasourceSettings;
import dev.rotor.sync.target.LineChange;
import dev.rotor.sync.vault.VaultClient;
import dev.rotor.sync.vault.VaultOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** No material in any toString or exception message of secret-sync (design §9), JDBC URLs with password= included. */
class RedactionTest {
    static final String SECRET = "s3cret-Material-42";

    @Test
    void recordsThatHoldMaterialNameEverythingButIt() {
        assertThat(new ApplyCredentialHandler.Plan("app_user", SECRET, SECRET + "-old"))
                .hasToString("Plan[role=app_user]");
        assertThat(LineChange.set(SECRET)).hasToString("LineChange[SET]");
        assertThat(new VaultClient.KvVersion(3, Map.of("value", SECRET))).hasToString("KvVersion[3, fields=[value]]");
        assertThat(VaultOptions.token("http://127.0.0.1:8200", SECRET)).hasToString(
                "VaultOptions[address=http://127.0.0.1:8200, auth=token, namespace=null, mount=secret]");
        assertThat(new Datasource("appdb", "jdbc:postgresql://db:5432/app?sslmode=require&sslpassword=" + SECRET,
                "admin", SECRET)).hasToString(
                        "Datasource[appdb, jdbc:postgresql://db:5432/app?sslmode=***&sslpassword=***, user admin]");
        assertThat(new LocalStoreFormat.Contents(SECRET.getBytes(StandardCharsets.UTF_8),
                Map.of("app~2Fjwt#v1", SECRET.getBytes(StandardCharsets.UTF_8))))
                .hasToString("Contents[1 materials: [app~2Fjwt#v1]]");
    }

    @Test
    void aBadOrUnreachableUrlWithAPasswordFailsWithoutIt() {
        CredentialApplier applier = new CredentialApplier(CredentialApplier.FRESH_LOGIN);
        Datasource unreachable = new Datasource("appdb", "jdbc:postgresql://127.0.0.1:1/app?password=" + SECRET,
                "admin", "pw");
        assertThatThrownBy(() -> applier.apply(unreachable, "app_user", "new-pw", "old-pw"))
                .isInstanceOf(CredentialException.class)
                .hasMessage("cannot reach datasource appdb at jdbc:postgresql://127.0.0.1:1/app?password=***"
                        + " (SQLSTATE 08001)");
        Datasource malformed = new Datasource("appdb", "jdbc:postgresql://[oops/app?password=" + SECRET, "admin",
                "pw");
        assertThatThrownBy(() -> applier.apply(malformed, "app_user", "new-pw", "old-pw"))
                .isInstanceOf(CredentialException.class).hasMessageNotContaining(SECRET)
                .hasMessage("cannot reach datasource appdb at (unparseable url) (SQLSTATE 08001)");
    }

    @Test
    void aDatasourceUrlThatNamesItsOwnCredentialsIsRefusedWithoutThem() {
        assertThat(Datasource.named(Map.of("appdb", settings("jdbc:postgresql://db/app?sslmode=require")), "appdb"))
                .hasValueSatisfying(d -> assertThat(d.url()).isEqualTo("jdbc:postgresql://db/app?sslmode=require"));
        assertThatThrownBy(() -> Datasource.named(Map.of("appdb", settings("jdbc:postgresql://admin:" + SECRET
                + "@db/app")), "appdb")).isInstanceOf(CredentialException.class).hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> Datasource.named(Map.of("appdb",
                settings("jdbc:postgresql://db/app?user=admin&password=" + SECRET)), "appdb"))
                .isInstanceOf(CredentialException.class)
                .hasMessage("rotor.sync.datasources.appdb.url must not carry a user or a password"
                        + " (jdbc:postgresql://db/app?user=***&password=***): set rotor.sync.datasources.appdb"
                        + ".username and .password instead");
    }

    private static DatasourceSettings settings(String url) {
        return new DatasourceSettings() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public String username() {
                return "admin";
            }

            @Override
            public Optional<String> password() {
                return Optional.of(SECRET);
            }
        };
    }
}
