package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.spec.EarlyStoppingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The best epoch of a run so far by its early-stopping metric (the notes: "always keep track of the model snapshot
 * that worked best on val"), with a copy of that epoch's parameters (weights and batch-norm statistics) in memory, one
 * more network's worth, and on disk as the run's {@code best.zip}, announced as a {@code checkpoint} artifact. At the
 * end the trainer puts the best parameters back into the network. Used by the training thread only.
 */
final class BestModel {

    private final EarlyStoppingSpec rule;
    private final MetricSink sink;
    private final Path artifactDir;
    private INDArray params;
    private Double bestValue;
    private int bestEpoch = -1;

    /** @param artifactDir where {@code best.zip} goes, or {@code null} to keep the copy in memory only */
    BestModel(EarlyStoppingSpec rule, MetricSink sink, Path artifactDir) {
        this.rule = rule;
        this.sink = sink;
        this.artifactDir = artifactDir;
    }

    /**
     * Looks at the metrics of epoch {@code epoch} (0-based), after {@code iterations} in all; when they beat the best
     * by more than the rule's {@code min_delta}, this epoch becomes the best: its parameters are copied and saved.
     */
    void offer(int epoch, long iterations, Map<String, Double> epochMetrics, ComputationGraph net) {
        Double value = epochMetrics.get(rule.metric());
        if (value == null || !rule.improves(value, bestValue)) {
            return;
        }
        bestValue = value;
        bestEpoch = epoch;
        params = net.params().dup();
        if (artifactDir != null) {
            Path file = RunArtifacts.best(artifactDir);
            RunArtifacts.writeNetwork(net, file);
            sink.artifact("checkpoint", "best (after epoch " + (epoch + 1) + ")", file, RunArtifacts.MODEL_MEDIA_TYPE,
                    iterations, epoch);
        }
    }

    /**
     * For a resumed run: takes the best epoch so far from the run's {@code best.zip} (its epoch count says which epoch
     * it is; its metric is measured again on {@code validation}, the same images the run validated on). Nothing when
     * there is no artifact folder or no such file yet.
     */
    void readBack(ImageSet validation) {
        Path file = artifactDir == null ? null : RunArtifacts.best(artifactDir);
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        ComputationGraph saved = NetworkFiles.read(file);
        Evaluation e = Evaluator.evaluate(saved, validation);
        bestValue = rule.higherIsBetter() ? e.accuracy() : e.loss();
        bestEpoch = saved.getEpochCount() - 1;
        params = saved.params().dup();
    }

    /** The best epoch (0-based), or -1 before any. */
    int bestEpoch() {
        return bestEpoch;
    }

    /** The best epoch's metric value; {@code NaN} before any. */
    double bestValue() {
        return bestValue == null ? Double.NaN : bestValue;
    }

    /**
     * Puts the best epoch's parameters back into {@code net} and returns the points that say so: {@code best_epoch}
     * (1-based, as the progress shows epochs) and {@code best_<metric>}, at {@code step} and {@code lastEpoch}. Empty,
     * and {@code net} untouched, when no epoch was offered.
     */
    List<MetricPoint> restore(ComputationGraph net, long step, int lastEpoch) {
        List<MetricPoint> points = new ArrayList<>();
        if (params != null) {
            net.setParams(params);
            long now = System.currentTimeMillis();
            points.add(new MetricPoint("best_epoch", step, lastEpoch, now, bestEpoch + 1));
            points.add(new MetricPoint("best_" + rule.metric(), step, lastEpoch, now, bestValue));
        }
        return points;
    }

    /** For people: which network this is. */
    String describe() {
        return String.format(Locale.ROOT, "the best network (after epoch %d, %s %.4f)", bestEpoch + 1, rule.metric(),
                bestValue());
    }
}
