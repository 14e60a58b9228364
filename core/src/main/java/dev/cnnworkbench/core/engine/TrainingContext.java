package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.experiment.Experiment;
import java.nio.file.Path;

/**
 * What a {@link TrainingObserver} may know about the run it watches.
 *
 * @param experiment      the resolved experiment
 * @param split           the run's train, validation and test images
 * @param itersPerEpoch   mini-batches per epoch
 * @param totalIterations the budget: epochs times {@code itersPerEpoch}
 * @param sink            where the run's metrics go
 * @param progress        the run's progress display
 * @param artifactDir     the run's artifact folder ({@link dev.cnnworkbench.core.artifact.RunArtifacts#dir}), or
 *                        {@code null} when the run keeps no files (benchmarks, tests)
 * @param epochsDone      the epochs trained before this process took the run over: 0, or the epochs of the checkpoint
 *                        an interrupted run resumes from ({@code workbench resume})
 */
public record TrainingContext(Experiment experiment, DataSplit split, int itersPerEpoch, long totalIterations,
                              MetricSink sink, TrainingProgress progress, Path artifactDir, int epochsDone) {

    /** The context of a run trained from its first epoch. */
    public TrainingContext(Experiment experiment, DataSplit split, int itersPerEpoch, long totalIterations,
                           MetricSink sink, TrainingProgress progress, Path artifactDir) {
        this(experiment, split, itersPerEpoch, totalIterations, sink, progress, artifactDir, 0);
    }
}
