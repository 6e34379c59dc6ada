package dev.rotor.notifier.teams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.EventSummary;
import dev.rotor.notifier.event.Links;
import dev.rotor.notifier.event.Texts;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Microsoft Teams message carrying one Adaptive Card (schema 1.4), as a Teams Workflows ("Post to a channel when a
 * webhook request is received") or an incoming-webhook URL accepts it: {@code type: message} with the card as
 * {@code attachments[0].content}. The card: a headline (red when urgent, green when completed), the facts, the
 * detail (error, manual steps), and buttons to the rotation and its report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamsCard(String type, List<Attachment> attachments) {
    private static final ObjectMapper JSON = RotorJson.mapper();
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final String SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
    /** Long free text is cut; Teams refuses a message over about 28 KB whole. */
    static final int TEXT_MAX = 2000;

    public record Attachment(String contentType, Card content) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Card(@JsonProperty("$schema") String schema, String type, String version, List<Element> body,
            List<Action> actions) {
    }

    /** A {@code TextBlock} or a {@code FactSet}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Element(String type, String text, String size, String weight, String color, Boolean isSubtle,
            Boolean wrap, List<Fact> facts) {
        static Element paragraph(String text) {
            return new Element("TextBlock", text, null, null, null, null, true, null);
        }
    }

    public record Fact(String title, String value) {
    }

    public record Action(String type, String title, String url) {
        static Action open(String title, String url) {
            return new Action("Action.OpenUrl", title, url);
        }
    }

    public static TeamsCard of(Notification n, Links links) {
        RotationEvent e = n.event();
        EventSummary s = EventSummary.of(e);
        String color = e.urgent() ? "Attention" : e instanceof RotationCompleted ? "Good" : null;
        List<Element> body = new ArrayList<>();
        body.add(new Element("TextBlock", (e.urgent() ? "URGENT: " : "") + s.title() + " for " + e.secretId(),
                "Medium", "Bolder", color, null, true, null));
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Secret", e.secretId()));
        facts.add(new Fact("Trigger", e.trigger().name()));
        facts.add(new Fact("Step", n.milestone() + (s.failedStep() == null ? "" : " (failed at " + s.failedStep()
                + ")")));
        facts.add(new Fact("Reason", e.reason() == null ? "none given" : Texts.within(e.reason(), TEXT_MAX)));
        if (s.versions() != null) {
            facts.add(new Fact("Versions", s.versions()));
        }
        facts.add(new Fact("Rotation", e.rotationId().toString()));
        body.add(new Element("FactSet", null, null, null, null, null, null, facts));
        if (s.detail() != null) {
            body.add(Element.paragraph(Texts.within(s.detail(), TEXT_MAX)));
        }
        body.add(new Element("TextBlock", n.time(), "Small", null, null, true, true, null));
        Card card = new Card(SCHEMA, "AdaptiveCard", "1.4", body, List.of(
                Action.open("Open rotation", links.rotation(e.rotationId())),
                Action.open("Report", links.report(e.rotationId()))));
        return new TeamsCard("message", List.of(new Attachment(CONTENT_TYPE, card)));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
