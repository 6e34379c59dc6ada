package dev.rotor.orchestrator.it;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tests' span exporter: Quarkus adds every {@link SpanProcessor} bean to the tracer provider. Spans are kept in
 * memory only while a test {@link #record records}, so the rest of the suite (tracing is on in every test) does not
 * pile them up.
 */
@Singleton
public class RecordedSpans implements SpanProcessor {
    private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
    private static final AtomicBoolean RECORDING = new AtomicBoolean();

    static void record() {
        EXPORTER.reset();
        RECORDING.set(true);
    }

    static void stop() {
        RECORDING.set(false);
        EXPORTER.reset();
    }

    /** The spans ended so far while recording. */
    static List<SpanData> finished() {
        return EXPORTER.getFinishedSpanItems();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (RECORDING.get() && span.getSpanContext().isSampled()) {
            EXPORTER.export(List.of(span.toSpanData()));
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
