package dev.rotor.orchestrator.catalog;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A catalog cron expression (Quartz syntax, as Quarkus' scheduler uses), always evaluated in UTC. */
public final class CronSchedule {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final ExecutionTime executionTime;

    private CronSchedule(ExecutionTime executionTime) {
        this.executionTime = executionTime;
    }

    /** @throws IllegalArgumentException when the expression is not valid Quartz syntax */
    public static CronSchedule parse(String expression) {
        return new CronSchedule(ExecutionTime.forCron(QUARTZ.parse(expression.trim())));
    }

    /** Why the expression is invalid, or empty when it is valid. */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("'" + expression + "' is not a valid Quartz cron expression (" + e.getMessage() + ")");
        }
    }

    /** The first fire time strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return executionTime.nextExecution(utc(after)).map(ZonedDateTime::toInstant);
    }

    /** The last fire time strictly before {@code before}. */
    public Optional<Instant> last(Instant before) {
        return executionTime.lastExecution(utc(before)).map(ZonedDateTime::toInstant);
    }

    private static ZonedDateTime utc(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }
}
