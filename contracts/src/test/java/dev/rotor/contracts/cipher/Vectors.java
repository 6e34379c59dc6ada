package dev.rotor.contracts.cipher;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/**
 * The known-answer vectors: {@code cipher/generate-vectors.mjs} computes lockbox and rotor-v1 with Node's crypto,
 * {@code cipher/generate-fernet-vectors.py} the Fernet tokens with Python's {@code cryptography}; Active Record
 * messages published by Rails, and more made by Python following Rails' code.
 */
final class Vectors {
    record Lockbox(String name, String masterKeyHex, String table, String column, String plaintext, String nonceHex,
            String columnKeyHex, String stored) {
        @Override
        public String toString() {
            return name;
        }
    }

    record RotorV1(String name, String masterKeyHex, int keyVersion, String table, String column, String rowId,
            String plaintext, String nonceHex, String columnKeyHex, String stored) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Fernet(String name, String key, long timestamp, String ivHex, String plaintextHex, String token,
            String producedBy) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Made by Python following Rails' code ({@code cipher/generate-activerecord-vectors.py}); not by Rails. */
    record ActiveRecord(String name, String railsKey, String keyDerivationSalt, String hashDigest,
            boolean deterministic, String derivedKeyHex, String ivHex, String encoding, boolean keyReference,
            String plaintextHex, String stored, String producedBy) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Published by Rails ({@code cipher/activerecord-rails-vectors.json} names the file and commit). */
    record Rails(String name, String codec, String primaryKey, String deterministicKey, String keyDerivationSalt,
            String hashDigest, String plaintext, String stored) {
        @Override
        public String toString() {
            return name;
        }
    }

    private record RailsFile(@com.fasterxml.jackson.annotation.JsonProperty("_comment") List<String> comment,
            List<Rails> vectors) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    static List<Lockbox> lockbox() {
        return List.of(read("/cipher/lockbox-vectors.json", Lockbox[].class));
    }

    static List<RotorV1> rotorV1() {
        return List.of(read("/cipher/rotor-v1-vectors.json", RotorV1[].class));
    }

    static List<Fernet> fernet() {
        return List.of(read("/cipher/fernet-vectors.json", Fernet[].class));
    }

    static List<ActiveRecord> activeRecord() {
        return List.of(read("/cipher/activerecord-vectors.json", ActiveRecord[].class));
    }

    static List<Rails> rails() {
        return read("/cipher/activerecord-rails-vectors.json", RailsFile.class).vectors();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static <T> T read(String resource, Class<T> type) {
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
