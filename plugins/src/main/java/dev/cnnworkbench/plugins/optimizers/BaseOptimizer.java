package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.ArrayList;
import java.util.List;

/** An optimizer whose base learning rate is the {@code lr} parameter; subclasses add their own. */
abstract class BaseOptimizer implements OptimizerPlugin {

    private final double defaultLr;

    BaseOptimizer(double defaultLr) {
        this.defaultLr = defaultLr;
    }

    /** The parameters beyond {@code lr}. */
    abstract List<ParamSpec> extraParams();

    @Override
    public final List<ParamSpec> params() {
        List<ParamSpec> all = new ArrayList<>();
        all.add(ParamSpec.number("lr", defaultLr, 0.0, null, "base learning rate (the schedule scales it)"));
        all.addAll(extraParams());
        return List.copyOf(all);
    }

    @Override
    public double learningRate(Params params) {
        return params.getDouble("lr");
    }
}
