-- Where a retirement gated on use (catalog retire-when) stands: one JSON value (saga.RetireGate), null until the
-- first probe of the previous version's share of use.
alter table rotation add column retire_gate text;
