package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** AdaGrad: {@code cache += dx^2; x += -lr * dx / (sqrt(cache) + eps)}, the cache starting at 0. */
public final class AdagradOptimizer extends BaseOptimizer {

    public AdagradOptimizer() {
        super(0.01);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public String help() {
        return "per-parameter rates scaled by the sum of squared gradients";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(ParamSpec.number("eps", 1e-6, 0.0, null, "smoothing term"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new ZeroCacheAdaGrad(learningRate(params), learningRate, params.getDouble("eps"));
    }
}
