package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.engine.TrainingResult;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.sweep.TrialRequest;
import dev.cnnworkbench.core.sweep.TrialStopRules;
import dev.cnnworkbench.core.sweep.WorkJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains a worker's jobs as ordinary {@link TrackedRun}s publishing on the process's local bus, whence they reach the
 * hub's store in order (see {@link ProcessBuses}), so it records them like any run: a new run under the id the hub
 * fixed, or, for a job handed on from a lost worker, the same run resumed from the checkpoint the hub sent. A worker
 * whose home is not the hub's first fetches the job's files from the hub and copies every file its run writes back
 * to it ({@link ShippingSink}). A sweep trial gets the sweep's stop rules ({@link TrialStopRules}). Thread-safe: one
 * call per job, several at once.
 */
public final class JobRunner implements WorkerNode.Executor {

    private final ProcessBuses buses;
    private final SpecResolver resolver;
    private final Path home;
    private final boolean hubHome;
    private final java.util.Set<TrackedRun> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param buses   the runs' events go to the local bus (the hub's storage, or the link to the hub); their files and
     *                rung decisions travel on the cluster's
     * @param home    this worker's data folder (data cache, and the runs' files while they train)
     * @param hubHome whether {@code home} is the hub's own (a worker in the hub's process or on its machine and
     *                home): the files are then already where the hub keeps them
     */
    public JobRunner(ProcessBuses buses, SpecResolver resolver, Path home, boolean hubHome) {
        this.buses = buses;
        this.resolver = resolver;
        this.home = home;
        this.hubHome = hubHome;
    }

    @Override
    public TrialOutcome execute(WorkJob job) {
        TrialRequest trial = job.trial();
        String sweepId = trial == null ? null : trial.sweepId();
        int number = trial == null ? 0 : trial.trial();
        Experiment experiment;
        try {
            experiment = resolver.resolve(new SpecParser().parse(SpecJson.readTree(job.specJson(), "job " + job.jobId()),
                    List.of(), "job"));
        } catch (SpecException e) {
            return new TrialOutcome(sweepId, number, null, RunStatus.FAILED, Map.of(),
                    "invalid spec: " + e.getMessage().replace('\n', ';'));
        }
        Path dir = RunArtifacts.dir(home, job.runId());
        Path checkpoint = null;
        try {
            for (String name : job.files()) {
                Path target = FileDepot.file(home, job.runId(), name);
                if (!hubHome) {
                    FileTransfer.fetch(buses.cluster(), job.runId(), name, target);
                }
                if (RunArtifacts.isCheckpoint(name)) {
                    checkpoint = target;
                }
            }
        } catch (IOException e) {
            return new TrialOutcome(sweepId, number, job.runId(), RunStatus.FAILED, Map.of(),
                    "cannot fetch the run's checkpoint from the hub: " + e.getMessage());
        }
        TrackedRun run = checkpoint == null
                ? TrackedRun.withId(buses.local(), experiment, job.user(), home, job.runId(),
                        trial == null ? null : new SweepTrialRef(sweepId, number))
                : TrackedRun.resuming(buses.local(), experiment, job.user(), home, job.runId(), checkpoint);
        run.noteProvenance(RunStarted.WORK_JOB, job.jobId());
        if (!hubHome) {
            run.sinkThrough(sink -> new ShippingSink(sink, buses.cluster(), job.runId(), dir));
        }
        StopRule rule = trial == null ? StopRule.NEVER : TrialStopRules.of(buses.cluster(), trial);
        active.add(run);
        try {
            TrainingResult result = run.execute(TrainingProgress.NONE, rule);
            return new TrialOutcome(sweepId, number, run.runId(),
                    result.stopReason() == null ? RunStatus.FINISHED : RunStatus.STOPPED, result.finalMetrics(),
                    result.stopReason());
        } catch (RuntimeException | Error e) {
            // TrackedRun has already recorded the run FAILED with this message.
            return new TrialOutcome(sweepId, number, run.runId(), RunStatus.FAILED, Map.of(),
                    e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        } finally {
            active.remove(run);
        }
    }

    /**
     * Records every run still training here as {@code INTERRUPTED} (a shutdown hook's job, in a hub whose process
     * ends: no other worker would notice); returns how many.
     */
    public int interruptAll(String reason) {
        int n = 0;
        for (TrackedRun run : active) {
            run.end(RunStatus.INTERRUPTED, reason);
            n++;
        }
        return n;
    }
}
