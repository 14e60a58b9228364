package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.experiment.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping, keeping and restoring the best epoch, and bounded epoch checkpoints, on a real (tiny) training run. */
class TrainingControlTest {

    @TempDir
    Path home;

    /** What a run told its sink. */
    private static class Recorded implements MetricSink {
        final List<MetricPoint> points = new ArrayList<>();
        final List<String> artifacts = new ArrayList<>();

        @Override
        public void record(List<MetricPoint> batch) {
            points.addAll(batch);
        }

        @Override
        public void artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
            artifacts.add(kind + ":" + file.getFileName());
        }
    }

    private TrainingResult train(Experiment experiment, Recorded sink, Path runDir) {
        return new Trainer(experiment, sink, TrainingProgress.NONE, StopRule.NEVER, runDir)
                .train(TinySpecs.split(experiment));
    }

    /** min_delta 1 on an accuracy: no epoch after the first can improve, so the run stops after patience epochs. */
    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() {
        Experiment experiment = TinySpecs.tiny("train.epochs=10",
                "train.early_stopping={\"metric\": \"val_accuracy\", \"patience\": 2, \"min_delta\": 1}");
        Recorded sink = new Recorded();
        TrainingResult result = train(experiment, sink, null);
        int itersPerEpoch = 300 / 50;
        assertThat(result.iterations()).isEqualTo(3L * itersPerEpoch);
        assertThat(result.stopReason()).isEqualTo(String.format(java.util.Locale.ROOT,
                "early stopping: val_accuracy did not improve by more than 1.0 for 2 epochs (best %.4f after epoch 1)",
                result.finalMetrics().get("best_val_accuracy")));
        assertThat(result.finalMetrics()).containsEntry("best_epoch", 1.0).containsKeys("test_accuracy", "test_loss");
        assertThat(sink.points).extracting(MetricPoint::name).contains("best_epoch", "best_val_accuracy");
    }

    @Test
    void trainsTheWholeBudgetWhileTheMetricImproves() {
        Experiment experiment = TinySpecs.tiny("train.epochs=3",
                "train.early_stopping={\"metric\": \"val_loss\", \"patience\": 5}");
        TrainingResult result = train(experiment, new Recorded(), null);
        assertThat(result.stopReason()).isNull();
        assertThat(result.iterations()).isEqualTo(18);
        assertThat(result.finalMetrics().get("best_epoch")).isBetween(1.0, 3.0);
    }

    /**
     * The run stops one epoch after its best (patience 1, nothing beats the first epoch by 1): the tested and saved
     * network must be the best one, not the last one trained.
     */
    @Test
    void restoresTheBestEpochsNetworkBeforeTestingAndSavingIt() {
        Experiment experiment = TinySpecs.tiny("train.epochs=10", "train.checkpoints={\"keep\": 5}",
                "train.early_stopping={\"metric\": \"val_accuracy\", \"patience\": 1, \"min_delta\": 1}");
        Path runDir = RunArtifacts.dir(home, "run1");
        Recorded sink = new Recorded();
        TrainingResult result = train(experiment, sink, runDir);
        assertThat(result.finalMetrics()).containsEntry("best_epoch", 1.0);
        assertThat(RunArtifacts.checkpoints(runDir)).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-epoch-001.zip", "checkpoint-epoch-002.zip");

        var best = NetworkFiles.read(RunArtifacts.best(runDir)).params();
        var saved = NetworkFiles.read(RunArtifacts.model(runDir)).params();
        var epoch1 = NetworkFiles.read(RunArtifacts.checkpoint(runDir, 1)).params();
        var epoch2 = NetworkFiles.read(RunArtifacts.checkpoint(runDir, 2)).params();
        assertThat(best).isEqualTo(epoch1);
        assertThat(saved).as("model.zip is the best network").isEqualTo(best);
        assertThat(epoch2).as("the last epoch trained on").isNotEqualTo(best);
        assertThat(sink.artifacts).contains("checkpoint:best.zip", "checkpoint:checkpoint-epoch-001.zip",
                "checkpoint:checkpoint-epoch-002.zip", "model:model.zip");

        double tested = result.finalMetrics().get("test_accuracy");
        var restored = NetworkFiles.read(RunArtifacts.best(runDir));
        assertThat(Evaluator.evaluate(restored, TinySpecs.split(experiment).test()).accuracy())
                .as("the test accuracy recorded is the best network's").isEqualTo(tested);
    }

    @Test
    void keepsOnlyTheNewestCheckpoints() {
        Path runDir = RunArtifacts.dir(home, "run2");
        train(TinySpecs.tiny("train.epochs=4", "train.checkpoints={\"keep\": 2}"), new Recorded(), runDir);
        assertThat(RunArtifacts.checkpoints(runDir)).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-epoch-003.zip", "checkpoint-epoch-004.zip");
        assertThat(RunArtifacts.best(runDir)).as("no best without early stopping").doesNotExist();

        Path none = RunArtifacts.dir(home, "run3");
        train(TinySpecs.tiny("train.epochs=1", "train.checkpoints={\"keep\": 0}"), new Recorded(), none);
        assertThat(RunArtifacts.checkpoints(none)).isEmpty();
        assertThat(RunArtifacts.model(none)).exists();
    }

    /**
     * The checkpoint is what makes an epoch count as done for a resume, so it comes last and only once the store has
     * acknowledged the epoch: its last train_loss step, its validation, the observers' epoch-end points and best.zip.
     */
    @Test
    void anEpochsCheckpointIsWrittenOnlyAfterTheStoreAcknowledgedEverythingOfTheEpoch() {
        Path runDir = RunArtifacts.dir(home, "acked");
        List<String> atFlush = new ArrayList<>();
        Recorded sink = new Recorded() {
            @Override
            public void flush() {
                int epoch = atFlush.size();
                long lastStep = (epoch + 1) * 6L - 1;
                atFlush.add("epoch " + epoch
                        + " val_accuracy=" + points.stream().anyMatch(p -> p.name().equals("val_accuracy") && p.epoch() == epoch)
                        + " train_val_gap=" + points.stream().anyMatch(p -> p.name().equals("train_val_gap") && p.epoch() == epoch)
                        + " last_train_loss=" + points.stream().anyMatch(p -> p.name().equals("train_loss") && p.step() == lastStep)
                        + " best=" + java.nio.file.Files.exists(RunArtifacts.best(runDir))
                        + " checkpoint=" + java.nio.file.Files.exists(RunArtifacts.checkpoint(runDir, epoch + 1)));
            }
        };
        train(TinySpecs.tiny("train.epochs=2", "train.checkpoints={\"keep\": 2}",
                "train.early_stopping={\"metric\": \"val_loss\", \"patience\": 5}"), sink, runDir);
        assertThat(atFlush).containsExactly(
                "epoch 0 val_accuracy=true train_val_gap=true last_train_loss=true best=true checkpoint=false",
                "epoch 1 val_accuracy=true train_val_gap=true last_train_loss=true best=true checkpoint=false");
        assertThat(RunArtifacts.checkpoints(runDir)).hasSize(2);
    }

    @Test
    void noCheckpointIsWrittenForAnEpochTheStoreDidNotAcknowledge() {
        Path runDir = RunArtifacts.dir(home, "unacked");
        List<String> warnings = new ArrayList<>();
        Recorded sink = new Recorded() {
            @Override
            public void flush() {
                throw new IllegalStateException("the database is away");
            }

            @Override
            public void warn(String kind, long step, String message) {
                warnings.add(kind + " at " + step + ": " + message);
            }
        };
        TrainingResult result = train(TinySpecs.tiny("train.epochs=2"), sink, runDir);
        assertThat(result.stopReason()).isNull();
        assertThat(RunArtifacts.checkpoints(runDir)).isEmpty();
        assertThat(warnings).contains("checkpoint_skipped at 5: no checkpoint after epoch 1: the database is away; a"
                + " resume would train this epoch again");
    }
}
