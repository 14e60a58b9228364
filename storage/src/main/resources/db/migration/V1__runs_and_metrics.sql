-- Runs: one row per training run, with its resolved spec and provenance as JSON text.
CREATE TABLE runs (
    id          VARCHAR(32)  PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    experiment  VARCHAR(255) NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    spec        CLOB         NOT NULL,
    provenance  CLOB         NOT NULL,
    user_name   VARCHAR(255),
    host        VARCHAR(255),
    pid         BIGINT,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE,
    error       CLOB
);
CREATE INDEX runs_experiment ON runs (experiment);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_started_at ON runs (started_at);

-- The spec flattened to dotted names; numbers in num_value so they compare as numbers.
CREATE TABLE run_params (
    run_id      VARCHAR(32)   NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name        VARCHAR(255)  NOT NULL,
    num_value   DOUBLE PRECISION,
    text_value  VARCHAR(4000),
    PRIMARY KEY (run_id, name)
);

-- Metric time series. NaN and infinities are stored as such.
CREATE TABLE metrics (
    run_id     VARCHAR(32)  NOT NULL,
    name       VARCHAR(255) NOT NULL,
    step       BIGINT       NOT NULL,
    epoch      INT          NOT NULL,
    wall_time  BIGINT       NOT NULL,
    val        DOUBLE PRECISION NOT NULL
);
CREATE INDEX metrics_run_name_step ON metrics (run_id, name, step);

-- The latest value of each metric of each run, so run tables never scan the series.
CREATE TABLE latest_metrics (
    run_id     VARCHAR(32)  NOT NULL,
    name       VARCHAR(255) NOT NULL,
    step       BIGINT       NOT NULL,
    epoch      INT          NOT NULL,
    wall_time  BIGINT       NOT NULL,
    val        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, name)
);
