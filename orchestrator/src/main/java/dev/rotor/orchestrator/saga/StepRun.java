package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import java.time.Instant;

/** One step of a rotation in one direction: its attempts and outcome. Identified by (step, direction). */
public final class StepRun {
    public final int index;
    public final Step step;
    public final Direction direction;
    public StepStatus status;
    public int attempts;
    public Instant startedAt;
    public Instant finishedAt;
    public String error;
    /** The worker's summary of the outcome (StepSucceeded/StepCompensated detail); never material. */
    public String detail;
    /** The last progress report of the current attempt; the attempt's timeout runs from here. */
    public Instant heartbeatAt;

    public StepRun(int index, Step step, Direction direction) {
        this.index = index;
        this.step = step;
        this.direction = direction;
    }

    /** True when a reply to {@code attempt} is the one the saga waits for. */
    public boolean awaits(int attempt) {
        return status == StepStatus.RUNNING && attempts == attempt;
    }
}
