-- Issue 3/4/5 additions: dry-run results, retirement failures, FAILED details, step details and heartbeats,
-- the latest progress of each rotation.

alter table rotation add column result text;
alter table rotation add column retirement_error text;
-- JSON of what a FAILED rotation left behind (versions, targets, columns, rows); references and numbers only.
alter table rotation add column affected text;

alter table rotation_step add column detail text;
-- The last progress report of the current attempt: the attempt's timeout runs from here.
alter table rotation_step add column heartbeat_at timestamptz;

-- The latest progress report of a rotation's current attempt (one row per rotation, overwritten).
create table rotation_progress (
    rotation_id      uuid primary key references rotation (id),
    step             varchar(32) not null,
    direction        varchar(16) not null,
    attempt          integer     not null,
    done             bigint      not null,
    total            bigint      not null,
    rows_per_second  double precision not null,
    eta_seconds      bigint,
    updated_at       timestamptz not null
);

-- The local step runner looks for due RUN_LOCAL timers only.
create index timer_local_due on timer (due_at) where fired_at is null and kind = 'RUN_LOCAL';
