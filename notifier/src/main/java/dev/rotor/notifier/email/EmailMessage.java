package dev.rotor.notifier.email;

import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.EventSummary;
import dev.rotor.notifier.event.Links;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One milestone as an e-mail: the subject, and the values both templates ({@code templates/milestone-email.txt} and
 * {@code .html}) show. Only ids, version numbers, step names and the saga's own error text, as in every channel.
 */
public record EmailMessage(String subject, Map<String, Object> data) {

    public static EmailMessage of(Notification n, Links links) {
        RotationEvent e = n.event();
        EventSummary s = EventSummary.of(e);
        // The subject is one header line: the secret id and the title cannot hold a line break; the reason is left out.
        String subject = "[Rotor] " + (e.urgent() ? "URGENT: " : "") + s.title() + " for " + e.secretId() + " ("
                + e.trigger() + ")";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("urgent", e.urgent());
        data.put("title", s.title());
        data.put("secret", e.secretId());
        data.put("trigger", e.trigger().name());
        data.put("milestone", n.milestone());
        data.put("failedStep", s.failedStep() == null ? "" : s.failedStep());
        data.put("reason", e.reason() == null ? "none given" : e.reason());
        data.put("versions", s.versions() == null ? "" : s.versions());
        data.put("details", s.detail() == null ? List.of() : List.of(s.detail().split("\n")));
        data.put("rotation", e.rotationId().toString());
        data.put("time", n.time());
        data.put("rotationUrl", links.rotation(e.rotationId()));
        data.put("reportUrl", links.report(e.rotationId()));
        return new EmailMessage(subject, Map.copyOf(data));
    }
}
