package dev.cnnworkbench.core.sweep;

/**
 * The event-bus addresses of the hub's work queue and of the workers that take its work, in one place. The hub (the
 * process that owns a home's store) answers the commands addressed to the queue; each worker answers its own
 * {@link #worker(String)} address. Every one is a command (request/reply), so a worker on another machine of the
 * clustered bus knows whether the hub took what it sent, and keeps it until it did.
 */
public final class WorkAddresses {

    /**
     * Command, body {@link WorkerBeat}, sent by every worker every {@code beat} interval: the queue registers a new
     * worker, and notices a lost one when its beats stop (or its cluster node leaves). Answered {@code "ok"}; failed
     * with code 410 when the queue has already given this worker up (its runs continue elsewhere).
     */
    public static final String BEAT = "workbench.work.beat";
    /** Command, body {@link JobEnded}: a worker's job ended. Answered {@code "ok"}, or {@code "stale"} when the job was given to another worker meanwhile. */
    public static final String ENDED = "workbench.work.ended";
    /**
     * Command, body {@link RunRequest}: queue one run for the next free worker ({@code run --remote}, the dashboard's
     * "Run again"). Answered at once with the {@link JobAccepted} (the run's id is fixed now).
     */
    public static final String SUBMIT = "workbench.work.submit";
    /** Command, empty body: answered with the {@link WorkerList} the queue knows now. */
    public static final String WORKERS = "workbench.work.workers";
    /**
     * Command, body {@link FileChunk}: a part of a run's file, written by a worker on another machine, into the hub's
     * {@code HOME/artifacts/RUN_ID/}; the last part is checked against its SHA-256 and the file appears whole.
     */
    public static final String FILE_PUT = "workbench.work.file.put";
    /** Command, body {@link FileRead}: answered with the {@link FileChunk} of a run's file the hub holds. */
    public static final String FILE_GET = "workbench.work.file.get";

    private static final String WORKER = "workbench.work.worker.";

    private WorkAddresses() {
    }

    /** Command, body {@link WorkJob}: the queue hands worker {@code workerId} a job; answered {@code "ok"} once taken. */
    public static String worker(String workerId) {
        return WORKER + workerId;
    }
}
