-- Who asked for each rotation: the subject of the caller's token, a bridge's subject (slack:U…), or "schedule".
-- Null only for rotations accepted before the control plane was authenticated.
alter table rotation add column requested_by varchar(256);
