package dev.cnnworkbench.plugins.optimizers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * AdamW (Loshchilov and Hutter): Adam with bias correction plus decoupled weight decay,
 * {@code x -= lr * (m_hat / (sqrt(v_hat) + eps) + wd * x)}. The Adam step is the updater {@link #build} returns;
 * the decay term needs the parameters, which a DL4J updater never sees, so it is the network-wide regularization
 * {@link #regularization} returns (DL4J's {@code WeightDecay}, applied after the updater and scaled by the
 * scheduled rate). Whoever configures the network must add both.
 */
public final class AdamWOptimizer extends BaseOptimizer {

    public AdamWOptimizer() {
        super(0.001);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String help() {
        return "Adam (bias-corrected) with decoupled weight decay: x -= lr * (m_hat/(sqrt(v_hat)+eps) + wd*x)";
    }

    @Override
    List<ParamSpec> extraParams() {
        return List.of(
                ParamSpec.number("beta1", 0.9, 0.0, 1.0, "decay of the first moment"),
                ParamSpec.number("beta2", 0.999, 0.0, 1.0, "decay of the second moment"),
                ParamSpec.number("eps", 1e-8, 0.0, null, "smoothing term"),
                ParamSpec.number("weight_decay", 0.01, 0.0, null,
                        "decoupled weight decay wd, scaled by the scheduled rate (not an L2 term in the loss)"));
    }

    @Override
    public IUpdater build(Params params, ISchedule learningRate) {
        return new BiasCorrectedAdam(learningRate(params), learningRate, params.getDouble("beta1"), params.getDouble("beta2"),
                params.getDouble("eps"));
    }

    /** The decoupled weight decay, to be applied to every layer's weights after the updater. */
    @Override
    public List<Regularization> regularization(Params params) {
        double wd = params.getDouble("weight_decay");
        return wd == 0 ? List.of() : List.of(new WeightDecay(wd, true));
    }
}
