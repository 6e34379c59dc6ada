package dev.rotor.orchestrator.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Keeps query values out of server spans: the dashboard's login link carries a token in {@code ?token=}, and the HTTP
 * instrumentation records the whole query string as {@code url.query}. Only the parameter names are kept. Quarkus adds
 * every {@link SpanProcessor} bean to the tracer provider, and a span's start attributes are set before
 * {@link #onStart}, so the value is replaced before any exporter sees it.
 */
@Singleton
public class QueryRedaction implements SpanProcessor {
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String query = span.getAttribute(URL_QUERY);
        if (query != null) {
            span.setAttribute(URL_QUERY, redact(query));
        }
        String full = span.getAttribute(URL_FULL);
        if (full != null && full.indexOf('?') >= 0) {
            int q = full.indexOf('?');
            span.setAttribute(URL_FULL, full.substring(0, q + 1) + redact(full.substring(q + 1)));
        }
    }

    /** {@code token=abc&next=/x} becomes {@code token=REDACTED&next=REDACTED}. */
    static String redact(String query) {
        return Arrays.stream(query.split("&", -1))
                .map(p -> (p.indexOf('=') >= 0 ? p.substring(0, p.indexOf('=')) : p) + "=REDACTED")
                .collect(Collectors.joining("&"));
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
