-- A reply settles its attempt's STEP_TIMEOUT timer in the same transaction (SagaDriver); this finds it without
-- scanning every unfired timer.
create index timer_by_rotation on timer (rotation_id, kind, step, direction, attempt) where fired_at is null;
