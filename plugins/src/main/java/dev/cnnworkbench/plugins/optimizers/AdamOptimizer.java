package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** Adam with bias correction: momentum on the gradient and RMSProp-style scaling. */
public final class AdamOptimizer extends BaseOptimizer {

    public AdamOptimizer() {
        super(0.001);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String help() {
        return "Adam (bias-corrected): m = b1*m + (1-b1)*dx, v = b2*v + (1-b2)*dx^2";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(
                ParamSpec.number("beta1", 0.9, 0.0, 1.0, "decay of the first moment"),
                ParamSpec.number("beta2", 0.999, 0.0, 1.0, "decay of the second moment"),
                ParamSpec.number("eps", 1e-8, 0.0, null, "smoothing term"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new BiasCorrectedAdam(learningRate(params), learningRate, params.getDouble("beta1"),
                params.getDouble("beta2"), params.getDouble("eps"));
    }
}
