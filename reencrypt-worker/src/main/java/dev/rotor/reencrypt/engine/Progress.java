package dev.rotor.reencrypt.engine;

/**
 * A progress snapshot. In online mode the verification pass reads every row again, so {@code total} counts the
 * rows twice there: done/total is the share of the work, not of the rows.
 *
 * @param etaSeconds null until a rate is known
 */
public record Progress(long done, long total, double rowsPerSecond, Long etaSeconds) {
}
