package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/** Nesterov momentum: {@code v = mu*v - lr*dx; x += -mu*v_prev + (1+mu)*v}. */
public final class NesterovOptimizer extends BaseOptimizer {

    public NesterovOptimizer() {
        super(0.01);
    }

    @Override
    public String name() {
        return "nesterov";
    }

    @Override
    public String help() {
        return "Nesterov momentum: gradient taken at the look-ahead position";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(ParamSpec.number("momentum", 0.9, 0.0, 1.0, "momentum mu (0.5, 0.9, 0.99 typical)"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new Nesterovs(learningRate, params.getDouble("momentum"));
    }
}
