package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** RMSProp: {@code cache = decay*cache + (1-decay)*dx^2; x += -lr * dx / (sqrt(cache) + eps)}. */
public final class RmspropOptimizer extends BaseOptimizer {

    public RmspropOptimizer() {
        super(0.001);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String help() {
        return "AdaGrad with a leaky (moving-average) cache of squared gradients";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(
                ParamSpec.number("decay", 0.99, 0.0, 1.0, "decay rate of the cache (0.9, 0.99, 0.999 typical)"),
                ParamSpec.number("eps", 1e-8, 0.0, null, "smoothing term"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new ZeroCacheRmsProp(learningRate(params), learningRate, params.getDouble("decay"),
                params.getDouble("eps"));
    }
}
