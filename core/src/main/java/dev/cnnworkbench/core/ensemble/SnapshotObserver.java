package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.engine.FinalEvaluations;
import dev.cnnworkbench.core.engine.TrainingContext;
import dev.cnnworkbench.core.engine.TrainingObserver;
import dev.cnnworkbench.core.spec.EnsembleSpec;
import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.engine.TrackedRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Collects the snapshot ensemble a spec's {@code ensemble} section asks for: a snapshot at the end of each cycle,
 * then the ensembles of the last {@code m} snapshots scored on the test set: the summary as the run's metrics
 * ({@link EnsembleReport#toMetrics}), the members and per-m results as the ensemble's record
 * ({@link EnsembleReport#record}). A resumed run starts from the snapshots it saved before. Training thread only.
 */
public final class SnapshotObserver implements TrainingObserver {

    private final TrainingContext context;
    private final SnapshotEnsemble ensemble;

    public SnapshotObserver(TrainingContext context) {
        EnsembleSpec spec = context.experiment().spec().ensemble();
        this.context = context;
        this.ensemble = new SnapshotEnsemble(spec.cycles(), context.totalIterations(), context.split().test(),
                spec.save() ? context.artifactDir() : null);
        if (context.epochsDone() > 0) {
            ensemble.readBack((long) context.epochsDone() * context.itersPerEpoch());
        }
    }

    /** A snapshot as an ensemble member: its artifact path and SHA-256 when it was saved. */
    private static EnsembleRecorded.Member member(String runId, SnapshotEnsemble.Snapshot s) {
        if (s.file() == null) {
            return new EnsembleRecorded.Member(runId, null, null, s.name(), Double.NaN, Double.NaN);
        }
        try {
            return new EnsembleRecorded.Member(runId, runId + "/" + s.file().getFileName(), BusSink.sha256(s.file()),
                    s.name(), Double.NaN, Double.NaN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot " + s.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        if (ensemble.isSnapshotPoint(iterationsDone)) {
            SnapshotEnsemble.Snapshot snapshot = ensemble.take(net, iterationsDone);
            if (snapshot.file() != null) {
                context.sink().artifact("snapshot", snapshot.name(), snapshot.file(), RunArtifacts.MODEL_MEDIA_TYPE,
                        iterationsDone, epoch);
            }
        }
    }

    @Override
    public Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch,
                                            FinalEvaluations evaluations) {
        EnsembleReport report = ensemble.finish(net, iterationsDone);
        long now = System.currentTimeMillis();
        context.sink().record(report.toMetrics(iterationsDone - 1, lastEpoch, now));
        List<SnapshotEnsemble.Snapshot> newestFirst = new ArrayList<>(ensemble.snapshots());
        Collections.reverse(newestFirst);
        context.sink().ensemble(runId -> report.record(TrackedRun.newId(), runId, "snapshots of " + runId, "snapshot",
                runId, null, newestFirst.stream().map(s -> member(runId, s)).toList(), now));
        return report.summary();
    }
}
