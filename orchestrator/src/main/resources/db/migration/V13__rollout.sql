-- Where a rolling cohort rollout (catalog rollout) stands: one JSON value (saga.WaveProgress: the current wave and the
-- attempts earlier waves used), null for a rotation without one and before its second wave.
alter table rotation add column rollout text;
