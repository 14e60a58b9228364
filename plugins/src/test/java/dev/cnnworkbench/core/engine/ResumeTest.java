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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Continuing a run from an epoch checkpoint ({@code workbench resume}) ends where the uninterrupted run ends, bit for
 * bit: same parameters, same optimizer state, same metric values at every step, same best epoch. The resume is done
 * as a fresh process does it: with none of the settings a network built earlier in this JVM left behind.
 */
class ResumeTest {

    @TempDir
    Path home;

    /**
     * Adam (optimizer state), an augmentation and dropout (random draws), early stopping (best epoch read back), and
     * the default diagnostics (per-layer statistics from iteration 0, histograms: extra passes over the network).
     */
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

        /** Every point but those measuring the machine (timings, system metrics), by name and step. */
        Map<String, Double> values() {
            Map<String, Double> out = new LinkedHashMap<>();
            points.stream().filter(p -> !MetricPoint.measuresTheMachine(p.name()))
                    .forEach(p -> out.put(p.name() + "@" + p.step(), p.value()));
            return out;
        }
    }

    @Test
    void aRunResumedInAFreshProcessEndsWithTheUninterruptedRunsNetworkBitForBit() throws IOException {
        Experiment experiment = TinySpecs.tiny(SPEC);
        DataSplit split = TinySpecs.split(experiment);
        Path whole = RunArtifacts.dir(home, "whole");
        Points wholePoints = new Points();
        TrainingResult uninterrupted = new Trainer(experiment, wholePoints, TrainingProgress.NONE, StopRule.NEVER,
                whole).train(split);

        Path resumedDir = RunArtifacts.dir(home, "resumed");
        Files.createDirectories(resumedDir);
        Files.copy(RunArtifacts.checkpoint(whole, 1), RunArtifacts.checkpoint(resumedDir, 1));
        Files.copy(RunArtifacts.best(whole), RunArtifacts.best(resumedDir)); // as the interrupted run left it
        Points sink = new Points();
        TrainingResult resumed = asAFreshProcess(() -> {
            ComputationGraph checkpoint = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(resumedDir, 1));
            assertThat(checkpoint.getEpochCount()).isEqualTo(1);
            assertThat(checkpoint.getIterationCount()).isEqualTo(6);
            assertThat(checkpoint.getUpdater().getStateViewArray().sumNumber().doubleValue())
                    .as("Adam's moments came back").isNotZero();
            return new Trainer(experiment, sink, TrainingProgress.NONE, StopRule.NEVER, resumedDir)
                    .resume(split, checkpoint);
        });

        assertThat(resumed.iterations()).isEqualTo(12);
        assertThat(sink.points).filteredOn(p -> p.name().equals("train_loss")).extracting(MetricPoint::step)
                .first().isEqualTo(6L);
        assertThat(sink.points).filteredOn(p -> p.name().equals("val_accuracy")).extracting(MetricPoint::epoch)
                .containsExactly(1, 2);
        Map<String, Double> expected = new LinkedHashMap<>(wholePoints.values());
        expected.keySet().removeIf(k -> Long.parseLong(k.substring(k.indexOf('@') + 1)) < 6);
        assertThat(sink.values()).as("every point after the checkpoint, the same double").isEqualTo(expected);
        assertThat(resumed.finalMetrics().get("best_epoch")).isEqualTo(uninterrupted.finalMetrics().get("best_epoch"));
        assertSameBits(NetworkFiles.read(RunArtifacts.model(resumedDir)).params(),
                NetworkFiles.read(RunArtifacts.model(whole)).params(), "final parameters");
        ComputationGraph last = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(resumedDir, 3));
        ComputationGraph lastWhole = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(whole, 3));
        assertSameBits(last.params(), lastWhole.params(), "parameters after the last epoch");
        assertSameBits(last.getUpdater().getStateViewArray(), lastWhole.getUpdater().getStateViewArray(),
                "Adam's moments after the last epoch");
        assertThat(last.getConfiguration().toJson()).isEqualTo(lastWhole.getConfiguration().toJson());
    }

    @Test
    void aCheckpointRestoresTheNetworkAndItsOptimizerStateBitForBit() {
        Experiment experiment = TinySpecs.tiny("train.epochs=1", "train.checkpoints={\"keep\": 1}");
        DataSplit split = TinySpecs.split(experiment);
        ComputationGraph net = NetworkFactory.build(experiment, 6, 10);
        for (int b = 0; b < 6; b++) {
            net.fit(Batches.toDataSet(Batches.gather(split.train(), null, b * 50, b * 50 + 50)));
        }
        net.incrementEpochCount();
        Path file = RunArtifacts.checkpoint(home, 1);
        RunArtifacts.writeCheckpoint(net, file);
        ComputationGraph back = asAFreshProcess(() -> NetworkFiles.readToContinueTraining(file));
        assertSameBits(back.params(), net.params(), "parameters");
        assertSameBits(back.getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray(), "optimizer state");
        assertThat(back.getIterationCount()).isEqualTo(6);
        assertThat(back.getEpochCount()).isEqualTo(1);
        assertThat(back.params().dataType()).isEqualTo(net.params().dataType());
    }

    /** Killed after the last epoch's checkpoint, while it was being tested: the resume only ends it. */
    @Test
    void aCheckpointOfTheLastEpochEndsTheRunAsTheUninterruptedOneEnded() throws IOException {
        Experiment experiment = TinySpecs.tiny("train.epochs=1");
        DataSplit split = TinySpecs.split(experiment);
        Path dir = RunArtifacts.dir(home, "done");
        TrainingResult whole = new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER, dir)
                .train(split);
        Path again = RunArtifacts.dir(home, "again");
        Files.createDirectories(again);
        Files.copy(RunArtifacts.checkpoint(dir, 1), RunArtifacts.checkpoint(again, 1));
        ComputationGraph done = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(again, 1));
        TrainingResult ended = new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER, again)
                .resume(split, done);
        assertThat(ended.iterations()).isZero();
        assertThat(ended.finalMetrics().get("test_accuracy")).isEqualTo(whole.finalMetrics().get("test_accuracy"));
        assertSameBits(NetworkFiles.read(RunArtifacts.model(again)).params(),
                NetworkFiles.read(RunArtifacts.model(dir)).params(), "the saved network");
        ComputationGraph tooMany = NetworkFiles.readToContinueTraining(RunArtifacts.checkpoint(again, 1));
        tooMany.incrementEpochCount();
        assertThatThrownBy(() -> new Trainer(experiment, new Points(), TrainingProgress.NONE, StopRule.NEVER, again)
                .resume(split, tooMany)).hasMessageContaining("has 2 epochs, more than the spec's 1");
    }

    /**
     * Runs {@code action} without the JVM-wide settings that building a network earlier in this JVM made (DL4J's
     * layer-helper switch), as {@code workbench resume} runs in a process that never built one; puts them back after.
     */
    private static <T> T asAFreshProcess(java.util.function.Supplier<T> action) {
        String helpers = System.clearProperty(NativeBackend.HELPERS_DISABLED);
        try {
            return action.get();
        } finally {
            if (helpers != null) {
                System.setProperty(NativeBackend.HELPERS_DISABLED, helpers);
            }
        }
    }

    /** Equal float for float (INDArray.equals allows a tolerance). */
    private static void assertSameBits(INDArray actual, INDArray expected, String what) {
        float[] a = actual.dup('c').data().asFloat();
        float[] e = expected.dup('c').data().asFloat();
        assertThat(a).as(what).hasSameSizeAs(e);
        int differing = 0;
        int first = -1;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                differing++;
                first = first < 0 ? i : first;
            }
        }
        assertThat(differing).as("%s: %d of %d values differ, the first at %d (%s vs %s)", what, differing, a.length,
                first, first < 0 ? "" : a[first], first < 0 ? "" : e[first]).isZero();
    }
}
