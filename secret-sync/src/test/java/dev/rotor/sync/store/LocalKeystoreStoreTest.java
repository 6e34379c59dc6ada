package dev.rotor.sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeystoreStoreTest {
    private static final String PATH = "app/jwt-secret";

    @TempDir
    Path home;

    @Test
    void versionsAreNumberedAndLabelledAndSurviveAReopen() {
        UUID rotation = UUID.randomUUID();
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty());
        store.update(PATH, ed -> ed.add("old-value", Label.CURRENT, null, null, true));
        store.update(PATH, ed -> ed.add("new value #2", Label.PENDING, rotation, 1, false));

        LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.empty());
        assertThat(reopened.versions(PATH)).extracting(SecretVersion::version, SecretVersion::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Label.CURRENT),
                        org.assertj.core.groups.Tuple.tuple(2, Label.PENDING));
        assertThat(reopened.versions(PATH).get(1).createdBy()).isEqualTo(rotation);
        assertThat(reopened.versions(PATH).get(0).adopted()).isTrue();
        assertThat(reopened.read(PATH, 1)).isEqualTo("old-value");
        assertThat(reopened.read(PATH, 2)).isEqualTo("new value #2");
        assertThat(reopened.versions("other/secret")).isEmpty();
    }

    @Test
    void keystoreAndGeneratedPasswordAreOwnerOnlyAndNoTempFileIsLeft() throws Exception {
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty());
        store.update(PATH, ed -> ed.add("v", Label.CURRENT, null, null, false));
        store.update(PATH, ed -> ed.add("w", Label.PENDING, UUID.randomUUID(), 1, false));

        Path dir = home.resolve("keystore");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("rotor.bcfks")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("keystore.password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("rotor.bcfks", "keystore.password");
        }
        // The material is not stored in clear text.
        assertThat(new String(Files.readAllBytes(dir.resolve("rotor.bcfks")), "ISO-8859-1")).doesNotContain("app/jwt");
    }

    @Test
    void retiringDestroysTheMaterialButKeepsTheMetadata() {
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.of("configured-pw"));
        UUID rotation = UUID.randomUUID();
        store.update(PATH, ed -> ed.add("to-destroy", Label.PREVIOUS, null, null, false));
        store.update(PATH, ed -> {
            ed.relabel(1, Label.RETIRED, rotation);
            return null;
        });

        LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.of("configured-pw"));
        SecretVersion v1 = reopened.versions(PATH).get(0);
        assertThat(v1.label()).isEqualTo(Label.RETIRED);
        assertThat(v1.destroyed()).isTrue();
        assertThat(v1.retiredAt()).isNotNull();
        assertThatThrownBy(() -> reopened.read(PATH, 1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no material").hasMessageNotContaining("to-destroy");
        assertThat(Files.exists(home.resolve("keystore/keystore.password"))).isFalse();
    }

    @Test
    void aFailedChangeLeavesNothingBehind() {
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty());
        store.update(PATH, ed -> ed.add("kept", Label.CURRENT, null, null, false));
        assertThatThrownBy(() -> store.update(PATH, ed -> {
            ed.add("lost", Label.PENDING, UUID.randomUUID(), 1, false);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.versions(PATH)).hasSize(1);
        assertThat(new LocalKeystoreStore(home, Optional.empty()).versions(PATH)).hasSize(1);
    }

    @Test
    void aWrongPasswordIsRefusedWithoutRetry() {
        new LocalKeystoreStore(home, Optional.of("right")).update(PATH,
                ed -> ed.add("x", Label.CURRENT, null, null, false));
        LocalKeystoreStore wrong = new LocalKeystoreStore(home, Optional.of("wrong"));
        assertThatThrownBy(wrong::check).isInstanceOf(StoreException.class)
                .hasMessageContaining("rotor.bcfks")
                .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
    }

    @Test
    void snapshotsRememberAbsentAndEmptyLinesAndCanBeDropped() {
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty());
        UUID r = UUID.randomUUID();
        store.update(PATH, ed -> {
            ed.saveSnapshot(r, "0.variable", "");
            ed.saveSnapshot(r, "0.previous", null);
            ed.saveSnapshot(r, "0.variable", "ignored second copy");
            return null;
        });
        LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.empty());
        reopened.update(PATH, ed -> {
            assertThat(ed.snapshot(r, "0.variable")).isEmpty();
            assertThat(ed.hasSnapshot(r, "0.previous")).isTrue();
            assertThat(ed.snapshot(r, "0.previous")).isNull();
            ed.dropSnapshotsExcept(null);
            assertThat(ed.hasSnapshot(r, "0.variable")).isFalse();
            return null;
        });
    }

    @Test
    void aliasesAreReversibleSoSimilarPathsNeverCollide() {
        assertThat(AliasNames.sanitize("a/b")).isNotEqualTo(AliasNames.sanitize("a_b"))
                .isNotEqualTo(AliasNames.sanitize("A/b"));
        assertThat(AliasNames.version("tooljet/lockbox", 3)).isEqualTo("tooljet~2Flockbox#v3");
    }
}
