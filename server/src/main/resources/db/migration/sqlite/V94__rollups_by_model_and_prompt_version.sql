-- A rollup kind for prompt versions within a model ('model_prompt_version'), so a prompt-version
-- breakdown filtered by model reads rollups like every other breakdown (raw, it took 2.6 s over 30
-- days and 1M spans). Its rows keep the model here, the version in dim and the prompt in prompt_name.
ALTER TABLE metric_rollups ADD COLUMN model TEXT;
-- Hours rolled up before lack the new kind: the monitoring job rolls all history up again (about
-- 30 s per million spans) once metrics are next queried; until then queries read raw rows.
DELETE FROM metric_rollups;
DELETE FROM metric_rollup_hours;
DELETE FROM metric_rollup_state;
