-- Dashboard feedback metrics (vote ratio, negative rate, actions; per prompt version or model) read
-- these columns over a time range: with them in the time index, no table lookup per feedback row.
DROP INDEX feedback_time;
CREATE INDEX feedback_time ON feedback(project_id, created_at, kind, vote, action, model, prompt_name, prompt_version);
