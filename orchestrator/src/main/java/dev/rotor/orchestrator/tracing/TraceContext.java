package dev.rotor.orchestrator.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A W3C trace context as text ({@code traceparent}, {@code tracestate}), to keep with a row that starts work later:
 * the outbox relay and the timers run outside the request or reply that wrote the row, so the context is stored with
 * the row and restored from it. That keeps one trace per rotation: the request's span is the root, and every later
 * step hangs below the reply or timer that led to it. Both fields are null when nothing is traced (tracing off).
 */
public record TraceContext(String parent, String state) {
    public static final TraceContext NONE = new TraceContext(null, null);
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** The context of the current span (the request, reply or timer being handled), or {@link #NONE}. */
    public static TraceContext current() {
        return of(Context.current());
    }

    public static TraceContext of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return NONE;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return new TraceContext(carrier.get("traceparent"), carrier.get("tracestate"));
    }

    public boolean isEmpty() {
        return parent == null;
    }

    /** The OpenTelemetry context to start child spans in; the root context when empty. */
    public Context context() {
        if (isEmpty()) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>();
        carrier.put("traceparent", parent);
        if (state != null) {
            carrier.put("tracestate", state);
        }
        return W3C.extract(Context.root(), carrier, MAP);
    }

    /**
     * Runs {@code work} with this context current. Call it on the fresh Vert.x duplicated context of
     * {@code VertxContextSupport.subscribeAndAwait}: Quarkus keeps the OpenTelemetry context in that Vert.x context,
     * so it follows the whole reactive pipeline, and it is dropped with the duplicated context when the call ends
     * (hence the scope is not closed here, which would end it before the lazy pipeline ran).
     */
    public <T> Uni<T> within(Supplier<Uni<T>> work) {
        if (!isEmpty()) {
            context().makeCurrent();
        }
        return work.get();
    }

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}
