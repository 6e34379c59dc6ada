-- The audit log: append-only and hash-chained (dev.rotor.contracts.audit.AuditChain defines the hash).
-- seq is assigned by the writer as head.seq + 1 while it holds the head row's lock, not by a sequence: a sequence
-- is not transactional, so a rolled-back append would leave a gap that looks like a deleted entry.
create table audit_entry (
    seq             bigint       primary key,
    at              timestamptz  not null,
    kind            varchar(64)  not null,
    subject         varchar(256) not null,
    -- The caller's Rotor roles, sorted, comma-separated; '' when there is no token.
    roles           varchar(256) not null,
    source          varchar(16)  not null,
    reason          text,
    client_address  varchar(64),
    secret_id       varchar(64),
    rotation_id     uuid,
    -- A JSON object (canonical text), references and version numbers only.
    detail          text,
    prev_hash       char(64)     not null,
    hash            char(64)     not null unique
);
create index audit_entry_by_rotation on audit_entry (rotation_id, seq) where rotation_id is not null;
create index audit_entry_by_secret on audit_entry (secret_id, seq) where secret_id is not null;
create index audit_entry_by_at on audit_entry (at);

-- The chain's head: one row. An append locks it (SELECT ... FOR UPDATE) as the last statement of the transaction
-- before commit, so appends are serialized and the chain stays linear, and the lock is held only until that commit.
create table audit_head (
    id    smallint  primary key check (id = 1),
    seq   bigint    not null,
    hash  char(64)  not null
);
insert into audit_head (id, seq, hash) values (1, 0, repeat('0', 64));

-- Append-only, whoever connects: the trigger refuses UPDATE, DELETE and TRUNCATE even for the table's owner (the
-- orchestrator's own role). A superuser or the owner can still disable or drop it (ALTER TABLE ... DISABLE TRIGGER);
-- what they then change is caught by the chain (deploy/rotor audit verify) and by the published checkpoints.
create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only: % refused', tg_op using errcode = '42501';
end;
$$;
create trigger audit_entry_no_update_delete before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_append_only();

-- The head only moves forward, and never goes away.
create function audit_head_forward_only() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'audit_head only moves forward: % refused', tg_op using errcode = '42501';
    end if;
    if new.seq <= old.seq or new.id <> old.id then
        raise exception 'audit_head only moves forward: seq % to % refused', old.seq, new.seq using errcode = '42501';
    end if;
    return new;
end;
$$;
create trigger audit_head_forward before update or delete on audit_head
    for each row execute function audit_head_forward_only();
create trigger audit_head_no_truncate before truncate on audit_head
    for each statement execute function audit_head_forward_only();
