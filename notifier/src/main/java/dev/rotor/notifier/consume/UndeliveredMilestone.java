package dev.rotor.notifier.consume;

import dev.rotor.notifier.channel.Notification;
import java.util.List;

/** An urgent milestone that one or more channels gave up on after their retries; the channels are named, never URLs. */
public class UndeliveredMilestone extends RuntimeException {
    public UndeliveredMilestone(Notification n, List<String> channels) {
        super("urgent " + n.milestone() + " of rotation " + n.event().rotationId() + " not delivered to channel(s) "
                + String.join(", ", channels), null, false, false);
    }
}
