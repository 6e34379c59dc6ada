package dev.rotor.notifier.pagerduty;

import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.HttpMessages;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.delivery.DeliveredEvents.RotationMemory;
import dev.rotor.notifier.event.Links;
import java.net.URI;
import java.util.Optional;

/**
 * On-call paging: a trigger on {@code compensation-started}, {@code rotation-rolled-back}, {@code rotation-failed},
 * {@code retire-overdue} (a previous version still used past its bounds) and the {@code rotation-requested} of every
 * EMERGENCY rotation; a resolve on {@code rotation-completed}, and on {@code previous-retired}, of a rotation that
 * triggered (a resolve of an alert already resolved changes nothing) (remembered durably, so a restart in between still resolves, and a planned rotation that never paged
 * sends nothing). Other milestones say nothing to PagerDuty.
 *
 * <p>Repeats are harmless: PagerDuty folds events with the same {@code dedup_key} (the rotation id) into one alert.
 */
public final class PagerDutyMessages implements HttpMessages {
    static final String OPEN = "triggered";

    private final URI eventsUrl;
    private final String routingKey;
    private final Links links;
    private final RotationMemory memory;

    public PagerDutyMessages(URI eventsUrl, String routingKey, Links links, RotationMemory memory) {
        this.eventsUrl = eventsUrl;
        this.routingKey = routingKey;
        this.links = links;
        this.memory = memory;
    }

    @Override
    public Optional<Request> render(Notification n) {
        RotationEvent e = n.event();
        if (triggers(e)) {
            return Optional.of(Request.post(eventsUrl, "application/json",
                    PagerDutyEvent.trigger(routingKey, n, links).toJson()));
        }
        if ((e instanceof RotationCompleted || e instanceof PreviousRetired) && memory.get(e.rotationId()).isPresent()) {
            return Optional.of(Request.post(eventsUrl, "application/json",
                    PagerDutyEvent.resolve(routingKey, n).toJson()));
        }
        return Optional.empty();
    }

    @Override
    public void delivered(Notification n, byte[] response) {
        if (triggers(n.event())) {
            memory.put(n.event().rotationId(), OPEN);
        }
    }

    static boolean triggers(RotationEvent e) {
        return e instanceof CompensationStarted || e instanceof RotationRolledBack || e instanceof RotationFailed
                || e instanceof RetireOverdue || (e instanceof RotationRequested && e.trigger() == Trigger.EMERGENCY);
    }

    /** Never the routing key. */
    @Override
    public String toString() {
        return "PagerDutyMessages";
    }
}
