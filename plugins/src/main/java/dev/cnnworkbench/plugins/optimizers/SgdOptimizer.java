package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/** Vanilla SGD: {@code x += -lr * dx}. */
public final class SgdOptimizer extends BaseOptimizer {

    public SgdOptimizer() {
        super(0.01);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String help() {
        return "vanilla gradient descent: x += -lr * dx";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of();
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new Sgd(learningRate);
    }
}
