package dev.rotor.contracts.catalog;

/**
 * A change freeze: no MANUAL or scheduled rotation starts inside it (scheduled ones are deferred to its end; an
 * EMERGENCY runs and is flagged). Either a fixed range {@code from}–{@code until} (ISO-8601 instants, e.g.
 * {@code 2026-12-20T00:00:00Z}; {@code until} excluded), or a recurring one: a Quartz {@code cron} (UTC) that starts it
 * and a {@code duration} it lasts.
 *
 * @param reason why, for people: it is named in refusals and deferrals
 */
public record FreezeSpec(String from, String until, String cron, String duration, String reason) {
}
