package dev.rotor.contracts.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenPairIsReadBackAndThePrivateFileIsCreatedOwnerOnly() throws Exception {
        KeyPair pair = SigningKeys.generate();
        Path key = dir.resolve("command.key");
        Path pub = dir.resolve("command.pub");
        SigningKeys.write(pair, key, pub);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(SigningKeys.requirePrivate("k", Optional.of(key.toString())).getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SigningKeys.requirePublic("p", Optional.of(pub.toString())).getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
        assertThatThrownBy(() -> SigningKeys.write(pair, key, pub)).isInstanceOf(
                java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void thePublicKeyIsDerivedFromThePrivateOne() throws Exception {
        assertThat(SigningKeys.publicOf(TestKeys.rfcPrivate()).getEncoded()).isEqualTo(TestKeys.rfcPublic()
                .getEncoded());
        KeyPair pair = SigningKeys.generate();
        assertThat(SigningKeys.publicOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void theKeyIdIsAFingerprintOfThePublicKey() throws Exception {
        assertThat(SigningKeys.keyId(TestKeys.rfcPublic())).matches("[0-9a-f]{16}")
                .isEqualTo(MessageSigner.of(TestKeys.rfcPrivate()).keyId());
    }

    @Test
    void aMissingSettingIsNamed() {
        assertThatThrownBy(() -> SigningKeys.requirePublic("rotor.signing.command-verify-key", Optional.of(" ")))
                .isInstanceOf(SigningKeyException.class)
                .hasMessage("rotor.signing.command-verify-key is not set: it names the file of an Ed25519 public "
                        + "key, X.509 PEM");
        assertThatThrownBy(() -> SigningKeys.requirePrivate("rotor.signing.command-key",
                Optional.of(dir.resolve("absent.key").toString())))
                .hasMessageStartingWith("rotor.signing.command-key: cannot read ");
    }

    @Test
    void aFileOfTheWrongKindIsRefusedWithoutQuotingIt() throws Exception {
        KeyPair pair = SigningKeys.generate();
        SigningKeys.write(pair, dir.resolve("a.key"), dir.resolve("a.pub"));
        String privatePem = Files.readString(dir.resolve("a.key"));

        assertThatThrownBy(() -> SigningKeys.requirePublic("rotor.signing.command-verify-key",
                Optional.of(dir.resolve("a.key").toString())))
                .hasMessageContaining("rotor.signing.command-verify-key")
                .hasMessageContaining("has no PEM block 'PUBLIC KEY'")
                .hasMessageNotContaining(privatePem.lines().skip(1).findFirst().orElseThrow());
        Path rsa = dir.resolve("rsa.key");
        Files.writeString(rsa, SigningKeys.pemText("PRIVATE KEY", java.security.KeyPairGenerator.getInstance("RSA")
                .generateKeyPair().getPrivate().getEncoded()));
        assertThatThrownBy(() -> SigningKeys.requirePrivate("rotor.signing.command-key", Optional.of(rsa.toString())))
                .hasMessageEndingWith("does not hold an Ed25519 private key");
    }
}
