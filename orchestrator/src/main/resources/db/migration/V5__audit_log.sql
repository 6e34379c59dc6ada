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

-- The chain's head: one row. An append locks it (SELECT ... FOR UPDATE, in audit_chain_pending below, at commit), so
-- appends are serialized and the chain stays linear, and the lock is held only for the commit.
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

-- Appends are chained at commit, not in the middle of the transaction: the orchestrator inserts its entries into
-- audit_pending (no lock), and this deferred trigger moves each one into audit_entry when the transaction commits,
-- under the head's row lock. So the lock is taken in the commit itself, after every other statement, and held for no
-- client round trip. The orchestrator sends each entry's canonical JSON (AuditChain) split around the value of "seq",
-- which only the head knows: hash = hex(sha256(prev_hash || prefix || seq || suffix)), exactly AuditChain.hash.
create table audit_pending (
    id              bigserial    primary key,
    at              timestamptz  not null,
    kind            varchar(64)  not null,
    subject         varchar(256) not null,
    roles           varchar(256) not null,
    source          varchar(16)  not null,
    reason          text,
    client_address  varchar(64),
    secret_id       varchar(64),
    rotation_id     uuid,
    detail          text,
    json_prefix     text         not null,
    json_suffix     text         not null
);

create function audit_chain_pending() returns trigger language plpgsql as $$
declare
    head_seq  bigint;
    head_hash text;
    next_hash text;
begin
    select seq, hash into head_seq, head_hash from audit_head where id = 1 for update;
    head_seq := head_seq + 1;
    next_hash := encode(sha256(convert_to(head_hash || new.json_prefix || head_seq::text || new.json_suffix,
        'UTF8')), 'hex');
    insert into audit_entry (seq, at, kind, subject, roles, source, reason, client_address, secret_id, rotation_id,
        detail, prev_hash, hash)
    values (head_seq, new.at, new.kind, new.subject, new.roles, new.source, new.reason, new.client_address,
        new.secret_id, new.rotation_id, new.detail, head_hash, next_hash);
    update audit_head set seq = head_seq, hash = next_hash where id = 1;
    delete from audit_pending where id = new.id;
    return null;
end;
$$;
create constraint trigger audit_pending_chain after insert on audit_pending
    deferrable initially deferred for each row execute function audit_chain_pending();
