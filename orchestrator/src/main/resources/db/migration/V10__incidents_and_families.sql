-- Incidents (webhooks) and related-secret families.
-- A related entry's rotation names the rotation that started it; the incident a rotation answers, and when it began
-- (the exposure window of its report starts there).
alter table rotation add column parent_id uuid references rotation (id);
alter table rotation add column incident varchar(300);
alter table rotation add column incident_at timestamp with time zone;
create index rotation_children on rotation (parent_id) where parent_id is not null;

-- One row per incident delivery handled: a redelivered webhook finds its row and starts nothing. Written in the
-- transaction that starts the rotations, so a crash leaves either both or neither.
create table incident_delivery (
    source varchar(32) not null,
    delivery_id varchar(300) not null,
    incident varchar(300) not null,
    rotation_ids text not null,
    received_at timestamp with time zone not null,
    primary key (source, delivery_id)
);
