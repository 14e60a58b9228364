package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.diagnostics.Diagnostics;
import dev.cnnworkbench.core.ensemble.SnapshotObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The observers a run's spec asks for, in the order they are called. (Epoch checkpoints are not observers: the trainer
 * writes one as the last thing of each epoch, {@link EpochCheckpoints}.) Stateless.
 */
public final class TrainingObservers {

    private TrainingObservers() {
    }

    public static List<TrainingObserver> forRun(TrainingContext context) {
        List<TrainingObserver> out = new ArrayList<>();
        if (context.experiment().spec().ensemble() != null) {
            out.add(new SnapshotObserver(context));
        }
        out.addAll(Diagnostics.forRun(context));
        if (context.artifactDir() != null) {
            out.add(finalNetwork(context));
        }
        return out;
    }

    /** Saves the trained network as the run's {@code model.zip} (what {@code workbench ensemble --runs} reads). */
    private static TrainingObserver finalNetwork(TrainingContext context) {
        return new TrainingObserver() {
            @Override
            public Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch,
                                                        FinalEvaluations evaluations) {
                Path file = RunArtifacts.model(context.artifactDir());
                RunArtifacts.writeNetwork(net, file);
                context.sink().artifact("model", "final network", file, RunArtifacts.MODEL_MEDIA_TYPE, iterationsDone,
                        lastEpoch);
                return Map.of();
            }
        };
    }
}
