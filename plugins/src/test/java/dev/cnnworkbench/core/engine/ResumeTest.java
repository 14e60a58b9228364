package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.experiment.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuing a run from an epoch checkpoint ({@code workbench resume}) ends where the uninterrupted run ends: same
 * parameters, same best epoch, metrics continuing at the checkpoint's iteration.
 */
class ResumeTest {

    @TempDir
    Path home;

    /** Adam (optimizer state), an augmentation and dropout (random draws), early stopping (best epoch read back). */
    private static final String[] SPEC = {"train.epochs=3", "train.checkpoints={\"keep\": 3}",
            "train.early_stopping={\"metric\": \"val_accuracy\", \"patience\": 10}",
            "augment=[{\"type\": \"noise\", \"std\": 0.1}]",
            "model.layers=[{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 5, \"activation\": \"relu\"},"
                    + " {\"type\": \"maxpool\", \"kernel\": 2, \"stride\": 2},"
                    + " {\"type\": \"dense\", \"units\": 16, \"activation\": \"relu\"}, {\"type\": \"dropout\"},"
                    + " {\"type\": \"output\"}]"};

    private static final class Points implements MetricSink {
        final List<MetricPoint> points = new ArrayList<>();

        @Override
        public void record(List<MetricPoint> batch) {
            points.addAll(batch);
        }
    }

    @Test
    void aRunResumedAfterItsFirstEpochEndsWithTheUninterruptedRunsNetwork() throws IOException {
        Experiment experiment = TinySpecs.tiny(SPEC);
        DataSplit split = TinySpecs.split(experiment);
        Path whole = RunArtifacts.dir(home, "whole");
        TrainingResult uninterrupted = new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER,
                whole).train(split);

        Path resumedDir = RunArtifacts.dir(home, "resumed");
        Files.createDirectories(resumedDir);
        Files.copy(RunArtifacts.checkpoint(whole, 1), RunArtifacts.checkpoint(resumedDir, 1));
        Files.copy(RunArtifacts.best(whole), RunArtifacts.best(resumedDir)); // as the interrupted run left it
        ComputationGraph checkpoint = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(resumedDir, 1));
        assertThat(checkpoint.getEpochCount()).isEqualTo(1);
        assertThat(checkpoint.getIterationCount()).isEqualTo(6);
        assertThat(checkpoint.getUpdater().getStateViewArray().sumNumber().doubleValue())
                .as("Adam's moments came back").isNotZero();
        Points sink = new Points();
        TrainingResult resumed = new Trainer(experiment, sink, TrainingProgress.NONE, StopRule.NEVER, resumedDir)
                .resume(split, checkpoint);

        assertThat(resumed.iterations()).isEqualTo(12);
        assertThat(sink.points).filteredOn(p -> p.name().equals("train_loss")).extracting(MetricPoint::step)
                .first().isEqualTo(6L);
        assertThat(sink.points).filteredOn(p -> p.name().equals("val_accuracy")).extracting(MetricPoint::epoch)
                .containsExactly(1, 2);
        assertThat(resumed.finalMetrics().get("best_epoch")).isEqualTo(uninterrupted.finalMetrics().get("best_epoch"));
        assertThat(resumed.finalMetrics().get("test_accuracy"))
                .isEqualTo(uninterrupted.finalMetrics().get("test_accuracy"));
        assertThat(NetworkFiles.read(RunArtifacts.model(resumedDir)).params())
                .isEqualTo(NetworkFiles.read(RunArtifacts.model(whole)).params());
    }

    @Test
    void aCheckpointWithEveryEpochAlreadyTrainedIsRefused() {
        Experiment experiment = TinySpecs.tiny("train.epochs=1");
        DataSplit split = TinySpecs.split(experiment);
        Path dir = RunArtifacts.dir(home, "done");
        new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER, dir).train(split);
        ComputationGraph done = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(dir, 1));
        assertThatThrownBy(() -> new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER, dir)
                .resume(split, done)).hasMessageContaining("already has 1 of the spec's 1 epochs");
    }
}
