package dev.rotor.contracts.catalog;

/**
 * When scheduled rotations run.
 *
 * @param cron a Quartz cron expression, in UTC
 * @param window how long after the fire time a missed rotation may still run (for example {@code 4h})
 */
public record ScheduleSpec(String cron, String window) {
}
