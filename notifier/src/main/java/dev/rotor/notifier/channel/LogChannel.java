package dev.rotor.notifier.channel;

import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.notifier.event.EventSummary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Writes one INFO line per milestone: the channel for local runs and for log-based alerting. */
public final class LogChannel implements NotificationChannel {
    private static final Logger LOG = Logger.getLogger(LogChannel.class);

    private final String name;

    public LogChannel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Boolean> submit(Notification notification) {
        LOG.info(line(name, notification));
        return CompletableFuture.completedFuture(true);
    }

    /** The line; URGENT leads so that a grep or an alert rule finds it. */
    public static String line(String channel, Notification n) {
        RotationEvent e = n.event();
        EventSummary summary = EventSummary.of(e);
        String versions = summary.versions() == null ? "-" : summary.versions().replace("→", "->");
        return (e.urgent() ? "URGENT " : "") + "rotation " + n.milestone()
                + ": secret=" + e.secretId()
                + " trigger=" + e.trigger()
                + " reason=" + quote(e.reason())
                + (e instanceof RotationRequested r && r.requestedBy() != null ? " requestedBy=" + quote(r.requestedBy())
                        : "")
                + " versions=" + versions
                + (summary.failedStep() == null ? "" : " failedStep=" + summary.failedStep())
                + " rotation=" + e.rotationId()
                + " channel=" + channel;
    }

    // The reason is operator free text: keep the entry on one line, so it cannot forge another log line.
    private static String quote(String text) {
        if (text == null) {
            return "-";
        }
        return '"' + text.replaceAll("\\p{Cntrl}", " ").replace("\"", "'") + '"';
    }
}
