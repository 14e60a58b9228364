package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.engine.TrainingContext;
import dev.cnnworkbench.core.engine.TrainingObserver;
import dev.cnnworkbench.core.spec.EnsembleSpec;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Collects the snapshot ensemble a spec's {@code ensemble} section asks for: a snapshot at the end of each cycle,
 * then the ensembles of the last {@code m} snapshots scored on the test set and recorded as metrics
 * ({@link EnsembleReport#toMetrics}). A resumed run starts from the snapshots it saved before. Training thread only.
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
    public Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch) {
        EnsembleReport report = ensemble.finish(net, iterationsDone);
        context.sink().record(report.toMetrics(iterationsDone - 1, lastEpoch, System.currentTimeMillis()));
        return report.summary();
    }
}
