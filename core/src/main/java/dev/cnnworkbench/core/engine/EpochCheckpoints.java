package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Ends each epoch of a run with a checkpoint: the network, its optimizer's state and its iteration and epoch counts
 * ({@link RunArtifacts#checkpoint}, written atomically: what {@code workbench resume} continues from). The checkpoint is
 * what makes an epoch count as done, so {@link #commit} is the last thing of an epoch: after the epoch's metrics, the
 * observers' epoch ends and the best-epoch copy, and only once the store has acknowledged everything recorded so far
 * ({@link MetricSink#flush}). A process killed at any moment thus leaves either a checkpoint whose epoch is recorded
 * in full, or no checkpoint for that epoch, which a resume trains again. Announces each file as a {@code checkpoint}
 * artifact and deletes the oldest so that at most {@code train.checkpoints.keep} stay. Only for runs with an artifact
 * folder. Training thread only.
 */
final class EpochCheckpoints {

    private final TrainingContext context;
    private final int keep;

    EpochCheckpoints(TrainingContext context) {
        this.context = context;
        this.keep = context.experiment().spec().train().checkpoints().keep();
    }

    /** The checkpoints of a run of {@code context}, or {@code null} when it writes none. */
    static EpochCheckpoints of(TrainingContext context) {
        boolean wanted = context.artifactDir() != null && context.experiment().spec().train().checkpoints().keep() > 0;
        return wanted ? new EpochCheckpoints(context) : null;
    }

    /**
     * Makes epoch {@code epoch} (0-based) of {@code net} count as done. When the store does not acknowledge the
     * metrics, writes no checkpoint for this epoch and warns ({@code checkpoint_skipped}): a resume would then train
     * the epoch again, rather than lose what the store has not taken.
     */
    void commit(ComputationGraph net, int epoch) {
        long step = (long) (epoch + 1) * context.itersPerEpoch();
        try {
            context.sink().flush();
        } catch (IllegalStateException e) {
            context.sink().warn("checkpoint_skipped", step - 1, "no checkpoint after epoch " + (epoch + 1) + ": "
                    + e.getMessage() + "; a resume would train this epoch again");
            context.progress().phase("warning: no checkpoint after epoch " + (epoch + 1) + " (" + e.getMessage() + ")");
            return;
        }
        Path file = RunArtifacts.checkpoint(context.artifactDir(), epoch + 1);
        RunArtifacts.writeCheckpoint(net, file);
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
