package dev.rotor.contracts.catalog;

/**
 * Where the versions of a secret live.
 *
 * @param type {@code local} (the BCFKS keystore) or {@code vault} (KV v2)
 * @param path the secret's path inside the store
 * @param archive keep retired versions instead of destroying them
 */
public record StoreRef(String type, String path, Boolean archive) {
}
