/**
 * Ciphertext codecs for encrypted database columns (design §6).
 *
 * <ul>
 *   <li>{@code lockbox}: {@code base64(nonce[12] ‖ AES-256-GCM ciphertext ‖ tag[16])}, byte-compatible with Ruby
 *       Lockbox and ToolJet. The column key is HKDF-SHA384 of the master key, salt = table label, info = 32 bytes of
 *       {@code 0xB4} ‖ {@code <column label>_ciphertext}. The value records no key id.</li>
 *   <li>{@code rotor-v1}: {@code "rv1:" + base64url-no-padding(0x01 ‖ keyVersion[4, big-endian] ‖ nonce[12] ‖
 *       ciphertext ‖ tag[16])}. The column key is HKDF-SHA384 of the master key, salt = {@code "rotor-v1|" + table},
 *       info = {@code "column|" + column}; the AAD is the 5 header bytes ‖ the UTF-8 row id, so a value moved to
 *       another row does not decrypt.</li>
 *   <li>{@code fernet}: Python {@code cryptography}'s Fernet token, {@code base64url(0x80 ‖ timestamp[8] ‖ iv[16] ‖
 *       AES-128-CBC-PKCS7 ciphertext ‖ HMAC-SHA256[32])}. The secret's value is the Fernet key itself (base64url of
 *       32 bytes: 16 signing, 16 encryption); no derivation, no row binding, no TTL check.</li>
 *   <li>{@code activerecord}, {@code activerecord-deterministic}: Rails' Active Record encryption, the JSON message
 *       {@code {"p":…,"h":{"iv":…,"at":…}}} of AES-256-GCM. The secret's value is the Rails key ({@code primary_key}
 *       or {@code deterministic_key}); the AES key is its PBKDF2 (2^16 iterations, HMAC-SHA256 or HMAC-SHA1) with the
 *       app's {@code key_derivation_salt}, the same for every column; no row binding.</li>
 * </ul>
 *
 * <p>Derive column keys through a {@link dev.rotor.contracts.cipher.DerivedKeyCache}, once per (key version, labels),
 * never per row. Codecs are stateless and safe to share across threads. This is the only package of {@code contracts}
 * that may import Bouncy Castle.
 */
package dev.rotor.contracts.cipher;
