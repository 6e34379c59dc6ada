-- The W3C trace context (traceparent, tracestate) of the transaction that wrote a row, so that the work it starts
-- later stays in the rotation's trace: the relay sends an outbox row as a child of it (and as the CloudEvents
-- distributed-tracing extension), and a timer fires within it. Null where tracing is off or nothing was traced.
alter table outbox add column trace_parent varchar(64);
alter table outbox add column trace_state varchar(512);
alter table timer add column trace_parent varchar(64);
alter table timer add column trace_state varchar(512);
