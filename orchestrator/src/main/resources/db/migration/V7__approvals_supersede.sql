-- Approvals (AWAITING_APPROVAL, DENIED, EXPIRED) and emergencies that supersede a running rotation (WAITING).
-- AWAITING_APPROVAL is longer than the old column allowed.
drop index rotation_one_active_per_secret;
alter table rotation alter column state type varchar(32);
-- One active rotation per secret, awaiting approval included. WAITING is left out: an emergency waits there while the
-- rotation it supersedes is still active (compensating); the superseded row's optimistic version serialises them.
create unique index rotation_one_active_per_secret on rotation (secret_id)
    where state in ('REQUESTED', 'RUNNING', 'COMPENSATING', 'AWAITING_APPROVAL');
-- The rotation a WAITING emergency supersedes: when that one ends, this one starts, in the same transaction.
alter table rotation add column waits_for uuid references rotation (id);
create index rotation_waiting on rotation (waits_for) where state = 'WAITING';

-- One decision per person and rotation; the requester never appears here (refused before it is written).
create table rotation_approval (
    rotation_id uuid not null references rotation (id),
    subject varchar(256) not null,
    decision varchar(16) not null,
    roles text not null,
    reason text,
    decided_at timestamp with time zone not null,
    primary key (rotation_id, subject)
);
