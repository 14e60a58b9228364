package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** SGD with classic momentum: {@code v = mu*v - lr*dx; x += v}. */
public final class MomentumOptimizer extends BaseOptimizer {

    public MomentumOptimizer() {
        super(0.01);
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String help() {
        return "SGD+momentum: v = mu*v - lr*dx; x += v (velocity as a running sum of gradients)";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(ParamSpec.number("momentum", 0.9, 0.0, 1.0, "momentum mu, the 'friction' (0.9 or 0.99 typical)"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new ClassicMomentum(learningRate(params), learningRate, params.getDouble("momentum"));
    }
}
