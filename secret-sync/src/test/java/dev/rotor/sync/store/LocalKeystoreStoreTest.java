package dev.rotor.sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.store.LocalStoreFormat;
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
        store.close();

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
        assertThat(Files.getPosixFilePermissions(dir.resolve("rotor.store")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("keystore.password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("rotor.lock")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("rotor.bcfks", "rotor.store", "keystore.password", "rotor.lock");
        }
        // The material is not stored in clear text.
        assertThat(new String(Files.readAllBytes(dir.resolve("rotor.bcfks")), "ISO-8859-1")).doesNotContain("app/jwt");
        assertThat(new String(Files.readAllBytes(dir.resolve("rotor.store")), "ISO-8859-1")).doesNotContain("app/jwt");
    }

    @Test
    void aSaveSealsTheImageOnlyAndTheKeystoreFileIsWrittenOnce() throws Exception {
        Path keystore = home.resolve("keystore/rotor.bcfks");
        try (LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty())) {
            store.update(PATH, ed -> ed.add("v", Label.CURRENT, null, null, false));
            byte[] keyFile = Files.readAllBytes(keystore);
            byte[] image = Files.readAllBytes(home.resolve("keystore/rotor.store"));
            store.update(PATH, ed -> ed.add("w", Label.PENDING, UUID.randomUUID(), 1, false));
            // BCFKS salts every write afresh, so a rewrite would differ byte for byte.
            assertThat(Files.readAllBytes(keystore)).isEqualTo(keyFile);
            assertThat(Files.readAllBytes(home.resolve("keystore/rotor.store"))).isNotEqualTo(image);
        }
        // A new process reads the key and seals with it too.
        byte[] keyFile = Files.readAllBytes(keystore);
        try (LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.empty())) {
            assertThat(reopened.read(PATH, 2)).isEqualTo("w");
            reopened.update(PATH, ed -> ed.add("x", Label.PENDING, UUID.randomUUID(), 1, false));
        }
        assertThat(Files.readAllBytes(keystore)).isEqualTo(keyFile);
        assertThat(new LocalKeystoreStore(home, Optional.empty()).read(PATH, 3)).isEqualTo("x");
    }

    @Test
    void aFormatTwoStoreIsConvertedAtItsNextSaveAndAnUnreadImageBesideItIsIgnored() throws Exception {
        Path dir = home.resolve("keystore");
        Files.createDirectories(dir);
        char[] pw = "pw2".toCharArray();
        String index = "{\"secrets\":{\"app/jwt-secret\":{\"versions\":[{\"version\":1,\"label\":\"current\"}]}}}";
        Files.write(dir.resolve("rotor.bcfks"), LocalStoreFormat.writeFormat2(new LocalStoreFormat.Contents(
                index.getBytes(), java.util.Map.of(LocalStoreFormat.versionAlias(PATH, 1), "two".getBytes())), pw));
        // What a crash between the two writes of a conversion leaves: an image that the old keystore file does not
        // name. It is not read, and the next save replaces it.
        Files.write(dir.resolve("rotor.store"), LocalStoreFormat.StoreKey.generate()
                .seal(new LocalStoreFormat.Contents(null, java.util.Map.of())));

        try (LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.of("pw2"))) {
            assertThat(store.read(PATH, 1)).isEqualTo("two");
            store.update(PATH, ed -> ed.add("three", Label.PENDING, UUID.randomUUID(), 1, false));
        }
        LocalStoreFormat.Opened opened = LocalStoreFormat.open(dir, pw);
        assertThat(opened.key()).isNotNull();
        assertThat(opened.contents().materials()).containsOnlyKeys(LocalStoreFormat.versionAlias(PATH, 1),
                LocalStoreFormat.versionAlias(PATH, 2));
        try (LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.of("pw2"))) {
            assertThat(reopened.read(PATH, 1)).isEqualTo("two");
            assertThat(reopened.read(PATH, 2)).isEqualTo("three");
        }
    }

    @Test
    void aChangedImageIsRefusedNamingTheImageNotThePassword() throws Exception {
        try (LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty())) {
            store.update(PATH, ed -> ed.add("v", Label.CURRENT, null, null, false));
        }
        Path image = home.resolve("keystore/rotor.store");
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length - 1] ^= 1;
        Files.write(image, bytes);
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty());
        assertThatThrownBy(() -> store.read(PATH, 1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("rotor.store").hasMessageContaining("does not authenticate")
                .hasMessageNotContaining("ROTOR_KEYSTORE_PASSWORD")
                .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
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
        store.close();

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
        store.close();
        assertThat(new LocalKeystoreStore(home, Optional.empty()).versions(PATH)).hasSize(1);
    }

    @Test
    void aWrongPasswordIsRefusedWithoutRetry() {
        try (LocalKeystoreStore right = new LocalKeystoreStore(home, Optional.of("right"))) {
            right.update(PATH, ed -> ed.add("x", Label.CURRENT, null, null, false));
        }
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
        store.close();
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
        assertThat(LocalStoreFormat.sanitize("a/b")).isNotEqualTo(LocalStoreFormat.sanitize("a_b"))
                .isNotEqualTo(LocalStoreFormat.sanitize("A/b"));
        assertThat(LocalStoreFormat.versionAlias("tooljet/lockbox", 3)).isEqualTo("tooljet~2Flockbox#v3");
    }

    @Test
    void aKeystoreOfTheEntryPerVersionFormatIsReadAndRewrittenAsOneImage() throws Exception {
        // Format 1, as earlier builds wrote it: an entry per material and a JSON index entry.
        char[] pw = "legacy-pw".toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("BCFKS",
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        ks.load(null, null);
        java.security.KeyStore.PasswordProtection protection = new java.security.KeyStore.PasswordProtection(pw);
        ks.setEntry("app~2Fjwt-secret#v1", new java.security.KeyStore.SecretKeyEntry(
                new javax.crypto.spec.SecretKeySpec("legacy-value".getBytes(), "HmacSHA256")), protection);
        String index = "{\"secrets\":{\"app/jwt-secret\":{\"versions\":[{\"version\":1,\"label\":\"current\"}]}}}";
        ks.setEntry("rotor.index", new java.security.KeyStore.SecretKeyEntry(
                new javax.crypto.spec.SecretKeySpec(index.getBytes(), "HmacSHA256")), protection);
        Files.createDirectories(home.resolve("keystore"));
        try (var out = Files.newOutputStream(home.resolve("keystore/rotor.bcfks"))) {
            ks.store(out, pw);
        }

        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.of("legacy-pw"));
        assertThat(store.read(PATH, 1)).isEqualTo("legacy-value");
        store.update(PATH, ed -> ed.add("next", Label.PENDING, UUID.randomUUID(), 1, false));
        store.close();

        byte[] file = Files.readAllBytes(home.resolve("keystore/rotor.bcfks"));
        java.security.KeyStore rewritten = java.security.KeyStore.getInstance("BCFKS",
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        rewritten.load(new java.io.ByteArrayInputStream(file), pw);
        assertThat(java.util.Collections.list(rewritten.aliases())).containsExactly(LocalStoreFormat.KEY_ENTRY);
        LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.of("legacy-pw"));
        assertThat(reopened.read(PATH, 1)).isEqualTo("legacy-value");
        assertThat(reopened.read(PATH, 2)).isEqualTo("next");
        Path dir = home.resolve("keystore");
        assertThat(LocalStoreFormat.readMaterial(dir, pw, LocalStoreFormat.versionAlias(PATH, 2)))
                .hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("next"));
        assertThat(LocalStoreFormat.readMaterial(dir, pw, LocalStoreFormat.versionAlias(PATH, 3))).isEmpty();
    }

    @Test
    void concurrentChangesOfManySecretsAreAllKept() throws Exception {
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty(), java.time.Duration.ofMillis(50));
        int secrets = 40;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < secrets; i++) {
                String path = "many/s" + i;
                futures.add(pool.submit(() -> {
                    store.update(path, ed -> ed.add(path + "-v1", Label.CURRENT, null, null, true));
                    store.update(path, ed -> ed.add(path + "-v2", Label.PENDING, UUID.randomUUID(), 1, false));
                }));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.pathLocksInUse()).as("no lock is kept for a secret nobody is changing").isZero();
        store.close();
        LocalKeystoreStore reopened = new LocalKeystoreStore(home, Optional.empty());
        for (int i = 0; i < secrets; i++) {
            String path = "many/s" + i;
            assertThat(reopened.versions(path)).extracting(SecretVersion::label)
                    .containsExactly(Label.CURRENT, Label.PENDING);
            assertThat(reopened.read(path, 1)).isEqualTo(path + "-v1");
            assertThat(reopened.read(path, 2)).isEqualTo(path + "-v2");
        }
    }

    @Test
    void changesThatComeOneAtATimeAreSavedAtOnceWhateverTheCommitDelay() {
        // With a 60 s commit delay, each of these would wait a minute if the delay applied to lone changes.
        LocalKeystoreStore store = new LocalKeystoreStore(home, Optional.empty(), java.time.Duration.ofSeconds(60));
        long start = System.nanoTime();
        store.update(PATH, ed -> ed.add("v1", Label.CURRENT, null, null, true));
        store.update(PATH, ed -> ed.add("v2", Label.PENDING, UUID.randomUUID(), 1, false));
        store.update(PATH, ed -> {
            ed.relabel(2, Label.CURRENT, null);
            ed.relabel(1, Label.PREVIOUS, null);
            return null;
        });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
        store.close();
        assertThat(new LocalKeystoreStore(home, Optional.empty()).versions(PATH)).extracting(SecretVersion::label)
                .containsExactly(Label.PREVIOUS, Label.CURRENT);
    }

    @Test
    void aSecondStoreOnTheSameHomeIsRefusedUntilTheFirstCloses() {
        LocalKeystoreStore first = new LocalKeystoreStore(home, Optional.empty());
        first.lock();
        first.update(PATH, ed -> ed.add("v1", Label.CURRENT, null, null, false));
        Path lockFile = home.resolve("keystore").resolve("rotor.lock");

        LocalKeystoreStore second = new LocalKeystoreStore(home, Optional.empty());
        assertThatThrownBy(second::lock).isInstanceOf(StoreException.class)
                .hasMessage("another secret-sync is using the keystore in " + home.resolve("keystore")
                        + ": it holds the lock file " + lockFile + ". One process only may write a keystore: stop the"
                        + " other one, or give this one its own ROTOR_HOME")
                .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
        assertThatThrownBy(() -> second.update(PATH, ed -> ed.add("v2", Label.PENDING, UUID.randomUUID(), 1, false)))
                .hasMessageContaining(lockFile.toString());
        assertThat(first.versions(PATH)).hasSize(1);

        first.close();
        try (LocalKeystoreStore third = new LocalKeystoreStore(home, Optional.empty())) {
            third.lock();
            assertThat(third.read(PATH, 1)).isEqualTo("v1");
            third.update(PATH, ed -> ed.add("v2", Label.PENDING, UUID.randomUUID(), 1, false));
            assertThat(third.versions(PATH)).hasSize(2);
        }
    }

    @Test
    void aSecondProcessOnTheSameHomeIsRefusedNamingTheLockFileAndAdmittedOnceTheFirstDies() throws Exception {
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"),
                KeystoreLockHolder.class.getName(), home.toString()).redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            Path lockFile = home.resolve("keystore").resolve("rotor.lock");
            LocalKeystoreStore second = new LocalKeystoreStore(home, Optional.of("pw"));
            assertThatThrownBy(second::lock).isInstanceOf(StoreException.class)
                    .hasMessage("another secret-sync is using the keystore in " + home.resolve("keystore")
                            + ": it holds the lock file " + lockFile + ". One process only may write a keystore: stop"
                            + " the other one, or give this one its own ROTOR_HOME");
        } finally {
            holder.destroyForcibly().waitFor(); // as kill -9: the operating system releases the lock
        }
        try (LocalKeystoreStore after = new LocalKeystoreStore(home, Optional.of("pw"))) {
            after.lock();
            after.update(PATH, ed -> ed.add("v1", Label.CURRENT, null, null, false));
            assertThat(after.read(PATH, 1)).isEqualTo("v1");
        }
    }

    @Test
    void aNegativeCommitDelayIsRefused() {
        assertThatThrownBy(() -> new LocalKeystoreStore(home, Optional.empty(), java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit delay");
    }
}
