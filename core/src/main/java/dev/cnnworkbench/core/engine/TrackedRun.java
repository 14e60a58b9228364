package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStartAck;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.data.DataCache;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.spec.SpecJson;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One training run, told to whoever listens on the event bus: {@link RunStarted}, the metrics, then
 * exactly one {@link RunEnded}. It never touches storage; it only publishes. Used by one thread.
 */
public final class TrackedRun {

    private final EventBus bus;
    private final Experiment experiment;
    private final String runId;
    private final String user;
    private final Path home;
    /** The epoch checkpoint an interrupted run continues from, or {@code null} for a new run. */
    private final Path checkpoint;
    /** The sweep trial this run is, or {@code null}. */
    private final SweepTrialRef trial;
    private boolean started;
    private boolean ended;
    /** The run's console log and the sink that indexes it at the end; null while not started or keeping no files. */
    private ConsoleLog log;
    private MetricSink sink;
    private java.util.function.UnaryOperator<MetricSink> sinkWrap = java.util.function.UnaryOperator.identity();
    private final Map<String, String> notedProvenance = new LinkedHashMap<>();
    /** The data as the pre-flight checks read it, for this experiment and home; null: read it at the start. */
    private DataSplit preread;

    /** A run that keeps no files (no final network, no snapshots). */
    public TrackedRun(EventBus bus, Experiment experiment, String user) {
        this(bus, experiment, user, null);
    }

    /**
     * @param home the data folder whose {@code artifacts/RUN_ID/} receives the run's networks, or {@code null} for none
     */
    public TrackedRun(EventBus bus, Experiment experiment, String user, Path home) {
        this(bus, experiment, user, home, newId(), null, null);
    }

    /** A new run that is trial {@code trial} of a sweep: its start event says so. */
    public TrackedRun(EventBus bus, Experiment experiment, String user, Path home, SweepTrialRef trial) {
        this(bus, experiment, user, home, newId(), null, trial);
    }

    private TrackedRun(EventBus bus, Experiment experiment, String user, Path home, String runId, Path checkpoint,
                       SweepTrialRef trial) {
        this.trial = trial;
        this.bus = bus;
        this.experiment = experiment;
        this.user = user;
        this.home = home;
        this.runId = runId;
        this.checkpoint = checkpoint;
    }

    /**
     * The recorded, interrupted run {@code runId} of {@code experiment} (its recorded spec), to be continued from its
     * epoch checkpoint {@code checkpoint} ({@link RunArtifacts#checkpoints}): {@link #execute} reads the checkpoint
     * first (nothing is recorded if it is refused), then publishes a {@link RunStarted} that
     * {@linkplain RunStarted#resumed resumes} the run, and trains the remaining epochs into it.
     */
    public static TrackedRun resuming(EventBus bus, Experiment experiment, String user, Path home, String runId,
                                      Path checkpoint) {
        return new TrackedRun(bus, experiment, user, home, runId, checkpoint, null);
    }

    /**
     * A new run whose id {@code runId} was fixed beforehand (by the hub's work queue, which hands the job out), trial
     * {@code trial} of a sweep or {@code null}.
     */
    public static TrackedRun withId(EventBus bus, Experiment experiment, String user, Path home, String runId,
                                    SweepTrialRef trial) {
        if (!runId.matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return new TrackedRun(bus, experiment, user, home, runId, null, trial);
    }

    /**
     * Has the run's sink pass through {@code wrap} (e.g. to copy each file to the hub before it is announced). Call
     * before {@link #execute}; returns this run.
     */
    public TrackedRun sinkThrough(java.util.function.UnaryOperator<MetricSink> wrap) {
        this.sinkWrap = wrap;
        return this;
    }

    /** What a run says while it reads its data, e.g. {@code loading fashion-mnist from /usr/share/...}. */
    public static String loadingPhase(dev.cnnworkbench.core.spec.ExperimentSpec spec) {
        return "loading " + spec.data().dataset() + " from " + spec.data().path();
    }

    /**
     * Trains on {@code split}, the data {@link dev.cnnworkbench.core.experiment.Preflight#beforeRecording} read for
     * this run's experiment and home, instead of reading it again. Call before {@link #execute}; returns this run.
     */
    public TrackedRun usingData(DataSplit split) {
        this.preread = split;
        return this;
    }

    /** Adds {@code key = value} to the provenance the run's start records. Call before {@link #execute}; returns this run. */
    public TrackedRun noteProvenance(String key, String value) {
        notedProvenance.put(key, value);
        return this;
    }

    /** A fresh run id: 12 hex digits. */
    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public String runId() {
        return runId;
    }

    /**
     * Loads the data (through the home's {@link DataCache}; a {@link dev.cnnworkbench.core.data.DataException}
     * here records nothing), publishes the start with the data's provenance, waits for the store to acknowledge it
     * ({@link RunStartAck}: a refused start throws {@link RunStartAck.Refused} and trains nothing), trains, and
     * publishes the end: {@code FINISHED}, or {@code FAILED} with the error's message (then rethrows it).
     */
    public TrainingResult execute(TrainingProgress progress) {
        return execute(progress, StopRule.NEVER);
    }

    /**
     * As {@link #execute(TrainingProgress)}, ending early when {@code stopRule} says so; such a run is
     * recorded {@code STOPPED} with the rule's reason (and is still evaluated on the test set).
     */
    public TrainingResult execute(TrainingProgress progress, StopRule stopRule) {
        NativeBackend.load(); // a machine that cannot train says so before anything is recorded
        ComputationGraph resumed = checkpoint == null ? null : NetworkFiles.readToContinueTraining(checkpoint);
        if (resumed != null && resumed.getEpochCount() < 1) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " records no finished epoch");
        }
        // the data is read before anything is recorded: data that cannot be read records no run
        DataSplit split = preread;
        if (split == null) {
            progress.phase(loadingPhase(experiment.spec()));
            split = DataSplit.of(experiment.spec(), home == null ? null : DataCache.inHome(home),
                    home == null ? null : RunArtifacts.root(home));
        }
        Map<String, String> provenance = new LinkedHashMap<>(Provenance.of(experiment));
        provenance.putAll(split.provenance());
        provenance.putAll(notedProvenance);
        synchronized (this) {
            if (ended) {
                throw new IllegalStateException("run " + runId + " was ended before it started");
            }
            started = true;
            bus.publish(Addresses.RUN_STARTED, new RunStarted(runId, RunNames.of(experiment.spec(), runId),
                    experiment.spec().experiment(), SpecJson.write(experiment.spec()),
                    SpecJson.flatten(experiment.spec()), provenance, System.currentTimeMillis(),
                    ProcessHandle.current().pid(), Host.name(), user, resumed == null ? 0 : resumed.getEpochCount(),
                    trial));
        }
        try {
            RunStartAck.await(bus, runId); // a start the store refuses is not trained: nothing would keep it
        } catch (RunStartAck.Refused e) {
            synchronized (this) {
                ended = true;
            }
            throw e;
        }
        progress.recorded();
        Path root = home == null ? null : RunArtifacts.root(home).toAbsolutePath();
        try {
            // inside the try: a log that cannot be opened fails the run instead of leaving it RUNNING
            TrainingProgress shown = progress;
            MetricSink runSink = sinkWrap.apply(new BusSink(bus, runId, root));
            if (root != null) {
                ConsoleLog console = ConsoleLog.open(RunArtifacts.dir(home, runId).toAbsolutePath(), progress);
                console.line("run " + runId + " (" + RunNames.of(experiment.spec(), runId) + ") of experiment "
                        + experiment.spec().experiment() + (resumed == null ? "" : ", resumed after epoch " + resumed.getEpochCount()));
                runSink = console.logging(runSink);
                shown = console;
                synchronized (this) {
                    log = console;
                    sink = runSink;
                }
            }
            Trainer trainer = new Trainer(experiment, runSink, shown, stopRule,
                    root == null ? null : RunArtifacts.dir(home, runId).toAbsolutePath());
            TrainingResult result = resumed == null ? trainer.train(split) : trainer.resume(split, resumed);
            end(result.stopReason() == null ? RunStatus.FINISHED : RunStatus.STOPPED, result.stopReason());
            return result;
        } catch (RuntimeException | Error e) {
            end(RunStatus.FAILED, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            throw e;
        }
    }

    /**
     * Publishes the run's end unless it already ended, e.g. {@code INTERRUPTED} from a shutdown hook. Any thread.
     * Before {@link #execute} has published the start, it publishes nothing and the run will not start.
     */
    public synchronized void end(RunStatus status, String error) {
        if (!ended) {
            ended = true;
            if (log != null) {
                // the log's last line says how the run ended; indexed (size, SHA-256) now that it is complete
                log.line(status + (error == null ? "" : ": " + error));
                log.close();
                try {
                    sink.artifact("log", ConsoleLog.NAME, log.file(), ConsoleLog.MEDIA_TYPE, 0, 0);
                } catch (RuntimeException e) {
                    // an unreadable log is not indexed; the run's end is still recorded
                }
            }
            if (started) {
                bus.publish(Addresses.RUN_ENDED, new RunEnded(runId, status, error, System.currentTimeMillis()));
            }
        }
    }
}
