package dev.rotor.contracts.messages;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** CloudEvents 1.0 in Kafka binary mode: attributes as {@code ce_*} headers, the JSON payload as the value. */
public final class CloudEvents {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";
    /**
     * The distributed-tracing extension: the W3C trace context of the work that created the event, kept as it was
     * when the event is sent again. The hop's own context travels beside it in the plain W3C headers
     * {@value #W3C_TRACE_PARENT} and {@value #W3C_TRACE_STATE}, which tracing libraries read.
     */
    public static final String TRACE_PARENT = "ce_traceparent";
    public static final String TRACE_STATE = "ce_tracestate";
    public static final String W3C_TRACE_PARENT = "traceparent";
    public static final String W3C_TRACE_STATE = "tracestate";
    /** Header set on dead-lettered records by Rotor's own failure handling: why the record was refused. */
    public static final String DLQ_REASON = "dead-letter-reason";

    private CloudEvents() {
    }

    /** The binary-mode headers for one message. {@code source} names the publishing service, e.g. {@code /rotor/orchestrator}. */
    public static Map<String, String> headers(RotorMessage message, UUID id, String source, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, id.toString());
        headers.put(SOURCE, source);
        headers.put(TYPE, message.type());
        headers.put(SUBJECT, message.subject());
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        headers.put(CONTENT_TYPE, JSON);
        return headers;
    }
}
