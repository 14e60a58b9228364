package dev.cnnworkbench.core.bus;

/**
 * Every event-bus address the workbench uses, in one place. Events are published (any number of
 * listeners, no reply); commands are sent as requests and answered by one handler.
 */
public final class Addresses {

    /** Event, body {@link RunStarted}: a run began. Published before any of its metrics. */
    public static final String RUN_STARTED = "workbench.run.started";
    /** Event, body {@link MetricBatch}: metric points of one run, in step order. */
    public static final String METRICS = "workbench.metrics";
    /** Event, body {@link RunEnded}: a run reached a final status. Published after its last metrics. */
    public static final String RUN_ENDED = "workbench.run.ended";
    /** Event, body {@link RunWarning}: a training-health warning about a running run. */
    public static final String RUN_WARNING = "workbench.run.warning";
    /** Event, body {@link RunArtifact}: a running run wrote a file (complete on disk). */
    public static final String RUN_ARTIFACT = "workbench.run.artifact";
    /**
     * Command, body: a run id ({@code String}), sent by a trainer right after it published that run's
     * {@link RunStarted} (see {@link RunStartAck}). The storage answers {@code "recorded"} once the start is durable,
     * or {@code "queued"} while the database is away (it is written when the database is back); it fails with code
     * 400 and the store's reason when the store refused the start, and then the run must not train.
     */
    public static final String RUN_RECORDED = "workbench.run.recorded";
    /**
     * Event, body {@link SweepDefined}: a sweep starts or resumes. Published before its trials' {@link RunStarted}.
     */
    public static final String SWEEP_DEFINED = "workbench.sweep.defined";
    /** Event, body {@link RungJudged}: a sweep's early-stop rule judged a trial at a rung. */
    public static final String SWEEP_RUNG = "workbench.sweep.judged";
    /** Event, body {@link EnsembleRecorded}: an ensemble was scored. Published before the end of the run that scored it. */
    public static final String ENSEMBLE_RECORDED = "workbench.ensemble.recorded";
    /**
     * Command, body: a run id ({@code String}). The storage answers once every message it received
     * before this one is durable in the database; the reply body is the number of points written.
     */
    public static final String STORAGE_FLUSH = "workbench.storage.flush";

    /**
     * Command, body {@link IngestBatch}: another process of the home (or another machine) hands its runs' events to the
     * hub, which publishes them here in order. Answered by the hub only.
     */
    public static final String HUB_INGEST = "workbench.hub.ingest";

    // The hub's store, read and written by request/reply from any member of its cluster. Answered by the hub's
    // store service; a failure with code 400 carries the store's reason (a bad filter, a refused write), 500 an error.

    /**
     * Command, body {@link RunsRequest}: one page of runs. Reply: JSON object {@code {"runs": [run...], "total": n,
     * "offset": n, "limit": n}}, each run {@code {"id", "name", "experiment", "status", "user", "host", "startedAt",
     * "endedAt" (epoch ms or absent), "error", "params": {}, "metrics": {}, "tags": [], "notes"}}.
     */
    public static final String STORE_RUNS = "workbench.store.runs";
    /**
     * Command, body: a run id ({@code String}). Reply: JSON object {@code {"run": run (absent when there is none),
     * "spec": the recorded spec as JSON text, "provenance": the recorded provenance as JSON text}}.
     */
    public static final String STORE_RUN = "workbench.store.run";
    /** Command, body {@link HistoryRequest}. Reply: {@link MetricBatch} of the run's points of that metric, by step. */
    public static final String STORE_HISTORY = "workbench.store.history";
    /** Command, body: a sort key ({@code String}: a column, params.PATH or metrics.NAME). Reply: whether any run has it. */
    public static final String STORE_SORTABLE = "workbench.store.sortable";
    /**
     * Command, body: a sweep id ({@code String}). Reply: JSON array of {@code {"runId", "trial"}}, the runs recorded as
     * its trials (every attempt).
     */
    public static final String STORE_SWEEP_TRIALS = "workbench.store.sweep.trials";
    /** Command, body {@link ChecksRecorded}: store a check session's results. Reply: {@code "recorded"}. */
    public static final String STORE_CHECKS = "workbench.store.checks";

    private Addresses() {
    }
}
