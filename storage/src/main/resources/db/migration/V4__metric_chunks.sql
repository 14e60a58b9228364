-- Metric points in chunks (see MetricChunks): a batch of points costs one row per series, not one row
-- per point. V5 moves V2's metric_points here and drops it.
CREATE TABLE metric_chunks (
    k         BIGINT PRIMARY KEY,
    n         INT    NOT NULL,
    min_step  BIGINT NOT NULL,
    max_step  BIGINT NOT NULL,
    data      VARBINARY NOT NULL
);
