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
 * AdaGrad as the lecture notes write it: {@code cache += dx^2; x -= lr * dx / (sqrt(cache) + eps)} with the cache
 * starting at 0. (DL4J's own {@code AdaGrad} starts the cache at {@code eps}, which moves early steps on small
 * gradients by far more than 1e-6.)
 */
public final class ZeroCacheAdaGrad extends ScheduledUpdater {

    private final double epsilon;

    @JsonCreator
    public ZeroCacheAdaGrad(@JsonProperty("learningRate") double learningRate,
                            @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                            @JsonProperty("epsilon") double epsilon) {
        super(learningRate, learningRateSchedule);
        this.epsilon = epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<ZeroCacheAdaGrad> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return StatefulUpdater.onView(new Updater(this), viewArray, initializeViewArray);
    }

    @Override
    public GradientUpdater<ZeroCacheAdaGrad> instantiate(Map<String, INDArray> updaterState, boolean initialize) {
        return StatefulUpdater.onState(new Updater(this), updaterState, initialize);
    }

    @Override
    public ZeroCacheAdaGrad clone() {
        return new ZeroCacheAdaGrad(learningRate, scheduleCopy(), epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZeroCacheAdaGrad a && sameRate(a) && Double.compare(a.epsilon, epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateHash(), epsilon);
    }

    @Override
    public String toString() {
        return "ZeroCacheAdaGrad(" + rateText() + ", epsilon=" + epsilon + ")";
    }

    private static final class Updater extends StatefulUpdater<ZeroCacheAdaGrad> {

        Updater(ZeroCacheAdaGrad config) {
            super(config, "GRAD_SQUARED");
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray cache = state(0);
            INDArray g = gradientView(gradient);
            cache.addi(g.mul(g));
            INDArray denominator = Transforms.sqrt(cache, true).addi(getConfig().epsilon);
            g.muli(getConfig().getLearningRate(iteration, epoch)).divi(denominator);
        }
    }
}
