-- Saga state of the orchestrator. Timestamps are UTC instants.

create table rotation (
    id            uuid primary key,
    secret_id     varchar(64)  not null,
    strategy      varchar(32)  not null,
    trigger       varchar(16)  not null,
    reason        text,
    dry_run       boolean      not null default false,
    state         varchar(16)  not null,
    from_version  integer,
    to_version    integer,
    step_index    integer      not null default 0,
    failed_step   varchar(32),
    error         text,
    manual_steps  text,
    requested_at  timestamptz  not null,
    updated_at    timestamptz  not null,
    completed_at  timestamptz,
    version       integer      not null default 0
);

-- At most one active rotation per secret, enforced here rather than in code (design §4).
create unique index rotation_one_active_per_secret on rotation (secret_id)
    where state in ('REQUESTED', 'RUNNING', 'COMPENSATING');
create index rotation_by_secret on rotation (secret_id, completed_at desc);
create index rotation_by_requested_at on rotation (requested_at desc);

create table rotation_step (
    id           uuid primary key,
    rotation_id  uuid        not null references rotation (id),
    idx          integer     not null,
    step         varchar(32) not null,
    direction    varchar(16) not null,
    status       varchar(16) not null,
    attempts     integer     not null,
    started_at   timestamptz,
    finished_at  timestamptz,
    error        text,
    unique (rotation_id, step, direction)
);

-- Transactional outbox: written with the state change, published by the relay in seq order.
create table outbox (
    seq           bigserial primary key,
    id            uuid        not null unique,
    topic         varchar(128) not null,
    msg_key       varchar(128) not null,
    type          varchar(128) not null,
    payload       text        not null,
    created_at    timestamptz not null,
    published_at  timestamptz
);
create index outbox_unpublished on outbox (seq) where published_at is null;

-- Replies already applied (or seen as stale): a redelivered reply finds its row and changes nothing.
create table processed_reply (
    rotation_id  uuid        not null,
    step         varchar(32) not null,
    attempt      integer     not null,
    direction    varchar(16) not null,
    reply_type   varchar(128) not null,
    received_at  timestamptz not null,
    primary key (rotation_id, step, attempt, direction)
);

-- Rotation requests from Kafka (chat-ops, incident bridges), de-duplicated on their request id.
create table processed_request (
    request_id   uuid primary key,
    rotation_id  uuid,
    outcome      text        not null,
    received_at  timestamptz not null
);

-- Durable timers: start, retry backoff, step timeouts and retirement after grace.
create table timer (
    id           uuid primary key,
    rotation_id  uuid        not null references rotation (id),
    secret_id    varchar(64) not null,
    kind         varchar(16) not null,
    due_at       timestamptz not null,
    fired_at     timestamptz,
    step         varchar(32),
    direction    varchar(16),
    attempt      integer,
    version      integer,
    created_at   timestamptz not null
);
create index timer_due on timer (due_at) where fired_at is null;
create index timer_by_secret on timer (secret_id, kind) where fired_at is null;

-- One row per (secret, cron fire time): each fire time starts at most one rotation, across restarts.
create table schedule_run (
    secret_id    varchar(64) not null,
    fire_time    timestamptz not null,
    rotation_id  uuid,
    outcome      text        not null,
    recorded_at  timestamptz not null,
    primary key (secret_id, fire_time)
);
