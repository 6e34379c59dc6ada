package dev.rotor.contracts.catalog;

/**
 * A time when an entry's scheduled rotations may run: each fire time of the Quartz {@code cron} (UTC) opens it for
 * {@code duration}. An entry with windows defers a scheduled rotation that falls outside all of them to the next one.
 */
public record WindowSpec(String cron, String duration) {
}
