package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.kernel.OptimizerKernels;
import dev.cnnworkbench.core.plugin.updater.StatefulUpdater;
import dev.cnnworkbench.core.plugin.updater.ScheduledUpdater;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Classic (heavy-ball) momentum, which DL4J does not ship (its {@code Nesterovs} is the look-ahead variant):
 * {@code v = mu*v - lr*dx; x += v}. State: the velocity, starting at 0. Float blocks step in one sweep
 * ({@link OptimizerKernels#momentum}), others through ND4J's operations.
 */
public final class ClassicMomentum extends ScheduledUpdater {

    private final double momentum;

    @JsonCreator
    public ClassicMomentum(@JsonProperty("learningRate") double learningRate,
                           @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                           @JsonProperty("momentum") double momentum) {
        super(learningRate, learningRateSchedule);
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<ClassicMomentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        return StatefulUpdater.onView(new Updater(this), viewArray, initializeViewArray);
    }

    @Override
    public GradientUpdater<ClassicMomentum> instantiate(Map<String, INDArray> updaterState, boolean initialize) {
        return StatefulUpdater.onState(new Updater(this), updaterState, initialize);
    }

    @Override
    public ClassicMomentum clone() {
        return new ClassicMomentum(learningRate, scheduleCopy(), momentum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassicMomentum m && sameRate(m) && Double.compare(m.momentum, momentum) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rateHash(), momentum);
    }

    @Override
    public String toString() {
        return "ClassicMomentum(" + rateText() + ", momentum=" + momentum + ")";
    }

    private static final class Updater extends StatefulUpdater<ClassicMomentum> {

        Updater(ClassicMomentum config) {
            super(config, "V");
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray v = state(0);
            INDArray g = gradientView(gradient);
            double lr = getConfig().getLearningRate(iteration, epoch);
            if (OptimizerKernels.computes(g, v)) {
                OptimizerKernels.momentum(g, v, (float) getConfig().momentum, (float) lr);
                return;
            }
            v.muli(getConfig().momentum).subi(g.mul(lr));
            g.assign(v).negi();
        }
    }
}
