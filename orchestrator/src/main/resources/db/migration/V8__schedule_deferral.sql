-- A scheduled fire time that fell inside a change freeze or outside the entry's windows, to run at due_at (the next
-- allowed time). fire_time is the deferral's own key (its due time); schedule_run records where each one came from.
create table schedule_deferral (
    secret_id  varchar(64) not null,
    fire_time  timestamp with time zone not null,
    due_at     timestamp with time zone not null,
    reason     text not null,
    done_at    timestamp with time zone,
    primary key (secret_id, fire_time)
);
create index schedule_deferral_due on schedule_deferral (due_at) where done_at is null;
