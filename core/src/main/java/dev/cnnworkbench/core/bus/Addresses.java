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

    private Addresses() {
    }
}
