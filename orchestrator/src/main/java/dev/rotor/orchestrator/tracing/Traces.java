package dev.rotor.orchestrator.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Spans for the orchestrator's own work that runs outside a request: applying a reply, firing a timer, running a
 * local step. Each continues the trace stored with what started it; where nothing was stored (tracing off, or a row
 * from before tracing) no span is made, rather than a stray one-span trace.
 */
@ApplicationScoped
public class Traces {
    @Inject
    Tracer tracer;
    @Inject
    Vertx vertx;

    /** A started span below {@code parent}, or the invalid (no-op) span when {@code parent} is empty. */
    public Span start(String name, TraceContext parent) {
        if (parent.isEmpty()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setParent(parent.context()).startSpan();
    }

    /**
     * Runs {@code work} in a span of its own that starts a rotation no HTTP request started (the schedule, a record on
     * the request topic): below {@code parent} when the record carried a trace context, else the root of a new trace.
     * The outbox rows and timers the work writes keep that span's context, so the rotation is one trace from there.
     * The work runs on a fresh duplicated Vert.x context, where the span is current for the whole reactive pipeline
     * and for nothing else (never on an event loop's own context, where it would outlive the work). The span ends
     * when the work does, marked failed by the failure's type only.
     */
    public <T> Uni<T> inSpan(String name, TraceContext parent, Supplier<Uni<T>> work) {
        SpanBuilder builder = tracer.spanBuilder(name);
        Span span = (parent.isEmpty() ? builder.setNoParent() : builder.setParent(parent.context())).startSpan();
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // Hibernate Reactive's sessions live in this context, and it is one (fresh) unit of work: safe to use.
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().<T>emitter(emitter -> context.runOnContext(ignored -> {
            Uni<T> run;
            try {
                run = of(span).within(work);
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            run.subscribe().with(emitter::complete, emitter::fail);
        }))
                .onFailure().invoke(f -> failed(span, f))
                .onTermination().invoke(span::end);
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
