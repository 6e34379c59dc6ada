package dev.rotor.contracts.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    /** RFC 8032 section 7.1, TEST 2: a one-byte message. */
    @Test
    void signsTheRfc8032TestVector() {
        HexFormat hex = HexFormat.of();
        Ed25519.SigningKey key = Ed25519.signingKey(
                hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));

        assertThat(hex.formatHex(key.publicKey()))
                .isEqualTo("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        assertThat(hex.formatHex(key.sign(hex.parseHex("72")))).isEqualTo("92a009a9f0d4cab8720e820b5f642540"
                + "a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    }

    @Test
    void givesTheJdksSignaturesAndAcceptsThem() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] message = new byte[random.nextInt(2000)];
            random.nextBytes(message);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initSign(pair.getPrivate());
            jdk.update(message);
            byte[] expected = jdk.sign();

            Ed25519.SigningKey key = Ed25519.signingKey(seed);
            Ed25519.VerifyingKey verifying = Ed25519.verifyingKey(Arrays.copyOfRange(spki, spki.length - 32,
                    spki.length));

            assertThat(key.sign(message)).isEqualTo(expected);
            assertThat(verifying.verify(message, expected)).isTrue();
            Signature check = Signature.getInstance("Ed25519");
            check.initVerify(pair.getPublic());
            check.update(message);
            assertThat(check.verify(key.sign(message))).isTrue();
        }
    }

    @Test
    void refusesChangedMessagesAndMalformedSignatures() {
        Ed25519.SigningKey key = Ed25519.signingKey(new byte[32]);
        Ed25519.VerifyingKey verifying = Ed25519.verifyingKey(key.publicKey());
        byte[] message = "step-requested".getBytes();
        byte[] signature = key.sign(message);

        byte[] changed = message.clone();
        changed[0] ^= 1;
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertThat(verifying.verify(changed, signature)).isFalse();
        assertThat(verifying.verify(message, flipped)).isFalse();
        assertThat(verifying.verify(message, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(verifying.verify(message, null)).isFalse();
        assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(new byte[32]));
        assertThatThrownBy(() -> Ed25519.signingKey(new byte[31])).hasMessageContaining("32 bytes");
    }
}
