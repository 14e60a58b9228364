package dev.cnnworkbench.plugins.optimizers;

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
 * RMSProp ("leaky AdaGrad") as the lecture notes write it:
 * {@code cache = decay*cache + (1-decay)*dx^2; x -= lr * dx / (sqrt(cache) + eps)} with the cache starting at 0.
 * (DL4J's own {@code RmsProp} starts the cache at {@code eps}.)
 */
public final class ZeroCacheRmsProp extends ScheduledUpdater {

    private final double decay;
    private final double epsilon;

    @JsonCreator
    public ZeroCacheRmsProp(@JsonProperty("learningRate") double learningRate,
                            @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                            @JsonProperty("decay") double decay,
                            @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule);
        this.decay = decay;
        this.epsilon = epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<ZeroCacheRmsProp> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return StatefulUpdater.onView(new Updater(this), viewArray, initializeViewArray);
    }

    @Override
    public GradientUpdater<ZeroCacheRmsProp> instantiate(Map<String, INDArray> updaterState, boolean initialize) {
        return StatefulUpdater.onState(new Updater(this), updaterState, initialize);
    }

    @Override
    public ZeroCacheRmsProp clone() {
        return new ZeroCacheRmsProp(learningRate, scheduleCopy(), decay, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZeroCacheRmsProp r && sameRate(r) && Double.compare(r.decay, decay) == 0
                && Double.compare(r.epsilon, epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateHash(), decay, epsilon);
    }

    @Override
    public String toString() {
        return "ZeroCacheRmsProp(" + rateText() + ", decay=" + decay + ", epsilon=" + epsilon + ")";
    }

    private static final class Updater extends StatefulUpdater<ZeroCacheRmsProp> {

        Updater(ZeroCacheRmsProp config) {
            super(config, "GRAD_SQUARED");
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double decay = getConfig().decay;
            INDArray cache = state(0);
            INDArray g = gradientView(gradient);
            cache.muli(decay).addi(g.mul(g).muli(1 - decay));
            INDArray denominator = Transforms.sqrt(cache, true).addi(getConfig().epsilon);
            g.muli(getConfig().getLearningRate(iteration, epoch)).divi(denominator);
        }
    }
}
