package dev.rotor.contracts.signing;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** The key pair of RFC 8032 §7.1 TEST 1: published, so a fixed vector anyone can recompute. Never used outside tests. */
final class TestKeys {
    static final String RFC_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    private TestKeys() {
    }

    static PrivateKey rfcPrivate() throws Exception {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                HexFormat.of().parseHex("302e020100300506032b657004220420" + RFC_SEED)));
    }

    static PublicKey rfcPublic() throws Exception {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HexFormat.of().parseHex("302a300506032b6570032100" + RFC_PUBLIC)));
    }
}
