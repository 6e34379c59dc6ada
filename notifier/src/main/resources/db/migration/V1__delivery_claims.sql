-- The notifier's memory, shared by its replicas (schema `notifier`, made by Flyway).

-- One row per (channel, milestone): claimed before the first attempt (INSERT ... ON CONFLICT DO NOTHING, so one
-- replica wins), then DELIVERED. A claim whose lease ran out (its replica stopped without finishing; a live replica
-- renews its own) is taken over by another replica, which sends the milestone again from `payload`. A claim given up
-- on after the channel's retries is deleted, so a later redelivery may try again.
CREATE TABLE deliveries (
    channel      text        NOT NULL,
    event_id     text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('CLAIMED', 'DELIVERED')),
    owner        text        NOT NULL,
    lease_until  timestamptz NOT NULL,
    takeovers    integer     NOT NULL DEFAULT 0,
    -- The milestone as it came from Kafka: its CloudEvent type and JSON (references and versions, never a secret).
    event_type   text        NOT NULL,
    payload      bytea       NOT NULL,
    source       text        NOT NULL,
    event_time   text        NOT NULL,
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    PRIMARY KEY (channel, event_id)
);

CREATE INDEX deliveries_claimed ON deliveries (lease_until) WHERE state = 'CLAIMED';
CREATE INDEX deliveries_delivered ON deliveries (delivered_at) WHERE state = 'DELIVERED';

-- What a channel remembers of a rotation, e.g. the Slack message (channel and ts) that later milestones update.
CREATE TABLE rotation_memory (
    channel    text        NOT NULL,
    rotation   uuid        NOT NULL,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, rotation)
);
