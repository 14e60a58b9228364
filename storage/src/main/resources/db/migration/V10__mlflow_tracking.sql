-- What MLflow clients need (the tracking API at /api/2.0/mlflow): numeric experiment ids, soft deletion of
-- experiments and runs (MLflow's lifecycle_stage, so delete and restore), run tags with values, experiment tags.

-- Experiment ids as MLflow numbers them: 0 is the "Default" experiment clients log to when they name none (an
-- experiment of that name keeps its runs; otherwise it is created when an MLflow client first comes, see
-- MlflowExperiments).
CREATE SEQUENCE experiment_ids START WITH 1;
ALTER TABLE experiments ADD COLUMN mlflow_id BIGINT;
UPDATE experiments SET mlflow_id = NEXT VALUE FOR experiment_ids WHERE name <> 'Default';
UPDATE experiments SET mlflow_id = 0 WHERE name = 'Default';
ALTER TABLE experiments ALTER COLUMN mlflow_id SET DEFAULT NEXT VALUE FOR experiment_ids;
ALTER TABLE experiments ALTER COLUMN mlflow_id SET NOT NULL;
ALTER TABLE experiments ADD CONSTRAINT experiments_mlflow_id UNIQUE (mlflow_id);

-- 'active' or 'deleted' (MLflow's soft delete; restore sets 'active' again).
ALTER TABLE experiments ADD COLUMN lifecycle_stage VARCHAR(16) DEFAULT 'active' NOT NULL;
ALTER TABLE experiments ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE runs ADD COLUMN lifecycle_stage VARCHAR(16) DEFAULT 'active' NOT NULL;

-- Tags with values (MLflow's key/value tags). run_tags keeps the plain tags of the dashboard: an MLflow client sees each
-- of them as a tag with an empty value, and a tag it sets with an empty value becomes one (see MlflowRuns).
CREATE TABLE run_tag_values (
    run_id     VARCHAR(32)   NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    tag_key    VARCHAR(250)  NOT NULL,
    tag_value  VARCHAR(8000) NOT NULL,
    PRIMARY KEY (run_id, tag_key)
);
CREATE INDEX run_tag_values_key ON run_tag_values (tag_key, tag_value);

CREATE TABLE experiment_tags (
    experiment_id  BIGINT        NOT NULL REFERENCES experiments (mlflow_id) ON DELETE CASCADE,
    tag_key        VARCHAR(250)  NOT NULL,
    tag_value      VARCHAR(8000) NOT NULL,
    PRIMARY KEY (experiment_id, tag_key)
);

-- MLflow allows parameter values of up to 6,000 characters.
ALTER TABLE run_params ALTER COLUMN text_value SET DATA TYPE VARCHAR(6000);
