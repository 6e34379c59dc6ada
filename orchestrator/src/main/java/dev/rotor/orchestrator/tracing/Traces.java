package dev.rotor.orchestrator.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Spans for the orchestrator's own work that runs outside a request: applying a reply, firing a timer, running a
 * local step. Each continues the trace stored with what started it; where nothing was stored (tracing off, or a row
 * from before tracing) no span is made, rather than a stray one-span trace.
 */
@ApplicationScoped
public class Traces {
    @Inject
    Tracer tracer;

    /** A started span below {@code parent}, or the invalid (no-op) span when {@code parent} is empty. */
    public Span start(String name, TraceContext parent) {
        if (parent.isEmpty()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setParent(parent.context()).startSpan();
    }

    /** Marks {@code span} failed by the failure's type only: a message could carry more than a span should. */
    public static void failed(Span span, Throwable failure) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    }

    /** The context of {@code span}, to make current or to store. */
    public static TraceContext of(Span span) {
        return TraceContext.of(io.opentelemetry.context.Context.root().with(span));
    }
}
