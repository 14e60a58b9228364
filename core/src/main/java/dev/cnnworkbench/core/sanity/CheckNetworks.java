package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.Batches;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.experiment.Experiment;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * The networks the checks build: the spec's network from scratch (its seed, so every build starts from the same
 * weights), at a constant learning rate, with its regularisation as written, turned off, or replaced by an L2
 * penalty. Stateless.
 */
final class CheckNetworks {

    private CheckNetworks() {
    }

    /** The spec's network configuration at the constant rate {@code learningRate}, regularised as the spec says. */
    static ComputationGraphConfiguration configure(Experiment experiment, int classes, double learningRate,
                                                   DataType dataType) {
        return NetworkFactory.configure(experiment, new FixedSchedule(learningRate), classes, dataType);
    }

    /**
     * Turns every kind of regularisation off in {@code conf}: L1/L2 penalties and weight decay on weights and biases,
     * dropout, and weight noise (the notes: "turn off regularization" for the initial loss, the overfit test and the
     * gradient check). Returns {@code conf}.
     */
    static ComputationGraphConfiguration withoutRegularization(ComputationGraphConfiguration conf) {
        for (Layer layer : layers(conf)) {
            layer.setIDropout(null);
            if (layer instanceof BaseLayer b) {
                b.setRegularization(List.of());
                b.setRegularizationBias(List.of());
                b.setWeightNoise(null);
            }
        }
        return conf;
    }

    /** Replaces the weight penalties of {@code conf} by L2 with coefficient {@code l2}; biases stay unpenalised. */
    static ComputationGraphConfiguration withL2(ComputationGraphConfiguration conf, double l2) {
        withoutRegularization(conf);
        for (Layer layer : layers(conf)) {
            if (layer instanceof BaseLayer b) {
                b.setRegularization(List.of(new L2Regularization(l2)));
            }
        }
        return conf;
    }

    static ComputationGraph init(ComputationGraphConfiguration conf) {
        return NetworkFactory.create(conf, null);
    }

    /**
     * The mean training-mode score of {@code net} on {@code set} in mini-batches of {@code batch}: the data loss plus
     * the regularisation penalty, as the trainer's first iterations see it (batch-norm uses batch statistics).
     */
    static double meanScore(ComputationGraph net, ImageSet set, int batch) {
        double sum = 0;
        for (int from = 0; from < set.size(); from += batch) {
            int to = Math.min(set.size(), from + batch);
            sum += net.score(Batches.toDataSet(Batches.gather(set, null, from, to)), true) * (to - from);
        }
        return sum / set.size();
    }

    /** The first {@code n} images of {@code set} (all of them when it has fewer). */
    static ImageSet first(ImageSet set, int n) {
        return set.select(java.util.stream.IntStream.range(0, Math.min(n, set.size())).toArray());
    }

    private static List<Layer> layers(ComputationGraphConfiguration conf) {
        return conf.getVertices().values().stream()
                .filter(LayerVertex.class::isInstance)
                .map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                .toList();
    }
}
