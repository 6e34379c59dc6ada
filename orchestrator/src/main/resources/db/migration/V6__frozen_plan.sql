-- What each rotation was accepted with: its plan (steps, order, retry policies) and the entry's spec, grace and drain,
-- as JSON (FrozenPlans). Every later step, timer and compensation is built from it, not from today's catalog.
-- Null only for rotations accepted before this column existed; those still read the catalog.
alter table rotation add column frozen_plan text;
