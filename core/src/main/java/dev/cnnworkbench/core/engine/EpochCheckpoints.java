package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Saves the network and its optimizer's state at the end of every epoch ({@link RunArtifacts#checkpoint}, atomic
 * writes: what {@code workbench resume} continues from), announces each file
 * as a {@code checkpoint} artifact, and deletes the oldest so that at most {@code train.checkpoints.keep} stay. Only
 * for runs with an artifact folder. Called on the training thread, as every {@link TrainingObserver}.
 */
final class EpochCheckpoints implements TrainingObserver {

    private final TrainingContext context;
    private final int keep;

    EpochCheckpoints(TrainingContext context) {
        this.context = context;
        this.keep = context.experiment().spec().train().checkpoints().keep();
    }

    /** Whether a run of {@code context} writes epoch checkpoints. */
    static boolean wanted(TrainingContext context) {
        return context.artifactDir() != null && context.experiment().spec().train().checkpoints().keep() > 0;
    }

    @Override
    public void epochDone(ComputationGraph net, int epoch, Map<String, Double> epochMetrics) {
        Path file = RunArtifacts.checkpoint(context.artifactDir(), epoch + 1);
        RunArtifacts.writeCheckpoint(net, file);
        long step = (long) (epoch + 1) * context.itersPerEpoch();
        context.sink().artifact("checkpoint", "after epoch " + (epoch + 1), file, RunArtifacts.MODEL_MEDIA_TYPE, step,
                epoch);
        List<Path> all = RunArtifacts.checkpoints(context.artifactDir());
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the old checkpoint " + old, e);
            }
        }
    }
}
