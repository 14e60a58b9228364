package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.kernel.OptimizerKernels;
import dev.cnnworkbench.core.plugin.updater.StatefulUpdater;
import dev.cnnworkbench.core.plugin.updater.ScheduledUpdater;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adam with bias correction as the lecture notes write it, at DL4J iteration {@code i} ({@code t = i + 1}):
 * {@code m = b1*m + (1-b1)*dx; v = b2*v + (1-b2)*dx^2; x -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
 * (DL4J's own {@code Adam} adds {@code eps} to the uncorrected {@code sqrt(v)}, an effectively larger epsilon
 * early on.) AdamW uses this step too; its decoupled decay is a regularization, see {@link AdamWOptimizer}.
 * State: first moments, then second moments, starting at 0. Float blocks step in one sweep
 * ({@link OptimizerKernels#adam}), others through ND4J's operations.
 */
public final class BiasCorrectedAdam extends ScheduledUpdater {

    private final double beta1;
    private final double beta2;
    private final double epsilon;

    @JsonCreator
    public BiasCorrectedAdam(@JsonProperty("learningRate") double learningRate,
                             @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                             @JsonProperty("beta1") double beta1,
                             @JsonProperty("beta2") double beta2,
                             @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater<BiasCorrectedAdam> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return StatefulUpdater.onView(new Updater(this), viewArray, initializeViewArray);
    }

    @Override
    public GradientUpdater<BiasCorrectedAdam> instantiate(Map<String, INDArray> updaterState, boolean initialize) {
        return StatefulUpdater.onState(new Updater(this), updaterState, initialize);
    }

    @Override
    public BiasCorrectedAdam clone() {
        return new BiasCorrectedAdam(learningRate, scheduleCopy(), beta1, beta2, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BiasCorrectedAdam a && sameRate(a) && Double.compare(a.beta1, beta1) == 0
                && Double.compare(a.beta2, beta2) == 0 && Double.compare(a.epsilon, epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateHash(), beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "BiasCorrectedAdam(" + rateText() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon="
                + epsilon + ")";
    }

    private static final class Updater extends StatefulUpdater<BiasCorrectedAdam> {

        Updater(BiasCorrectedAdam config) {
            super(config, "M", "V");
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            BiasCorrectedAdam c = getConfig();
            int t = iteration + 1;
            INDArray m = state(0);
            INDArray v = state(1);
            INDArray g = gradientView(gradient);
            double stepScale = c.getLearningRate(iteration, epoch) / (1 - Math.pow(c.beta1, t));
            double varianceScale = 1 / (1 - Math.pow(c.beta2, t));
            if (OptimizerKernels.computes(g, m, v)) {
                OptimizerKernels.adam(g, m, v, (float) c.beta1, (float) c.beta2, (float) stepScale,
                        (float) varianceScale, (float) c.epsilon);
                return;
            }
            m.muli(c.beta1).addi(g.mul(1 - c.beta1));
            v.muli(c.beta2).addi(g.mul(g).muli(1 - c.beta2));
            INDArray denominator = Transforms.sqrt(v.mul(varianceScale), false).addi(c.epsilon);
            g.assign(m).muli(stepScale).divi(denominator);
        }
    }
}
