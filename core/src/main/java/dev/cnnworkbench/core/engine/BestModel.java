package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.spec.EarlyStoppingSpec;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The best epoch of a run so far by its early-stopping metric, with a copy of that epoch's parameters (weights and
 * batch-norm statistics) so the network can be put back to it at the end (the notes: "always keep track of the model
 * snapshot that worked best on val"). The copy lives in memory: one more network's worth. Used by the training thread
 * only.
 */
final class BestModel {

    private final EarlyStoppingSpec rule;
    private INDArray params;
    private Double bestValue;
    private int bestEpoch = -1;

    BestModel(EarlyStoppingSpec rule) {
        this.rule = rule;
    }

    /**
     * Looks at the metrics of epoch {@code epoch} (0-based); when they beat the best by more than the rule's
     * {@code min_delta}, remembers this epoch and copies the network's parameters.
     *
     * @return whether this epoch is the new best
     */
    boolean offer(int epoch, Map<String, Double> epochMetrics, ComputationGraph net) {
        Double value = epochMetrics.get(rule.metric());
        if (value == null || !rule.improves(value, bestValue)) {
            return false;
        }
        bestValue = value;
        bestEpoch = epoch;
        params = net.params().dup();
        return true;
    }

    /** The best epoch (0-based), or -1 before any. */
    int bestEpoch() {
        return bestEpoch;
    }

    /** The best epoch's metric value; {@code NaN} before any. */
    double bestValue() {
        return bestValue == null ? Double.NaN : bestValue;
    }

    String metric() {
        return rule.metric();
    }

    /** Puts the best epoch's parameters back into {@code net}; nothing before any epoch was offered. */
    void restore(ComputationGraph net) {
        if (params != null) {
            net.setParams(params);
        }
    }
}
