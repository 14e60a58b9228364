package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;

/**
 * The weight initialisations the lecture notes discuss, by the names specs use: {@code small-gaussian}
 * (N(0, 0.01^2)), {@code xavier} (variance 2/(fan_in+fan_out)) and {@code he} (variance 2/fan_in, for ReLU).
 */
public final class WeightInits {

    /** The per-layer parameter: {@code "model"} means the model-wide default. */
    public static final ParamSpec PARAM = ParamSpec.choice("init", "model",
            List.of("model", "xavier", "he", "small-gaussian"), "weight initialisation; 'model' uses model.init");

    private WeightInits() {
    }

    public static IWeightInit byName(String name) {
        return switch (name) {
            case "xavier" -> WeightInit.XAVIER.getWeightInitFunction();
            case "he" -> WeightInit.RELU.getWeightInitFunction();
            case "small-gaussian" -> new WeightInitDistribution(new NormalDistribution(0, 0.01));
            default -> throw new IllegalArgumentException("unknown weight init '" + name + "'");
        };
    }

    /** The init a layer asked for with {@link #PARAM}, falling back to the model's. */
    public static IWeightInit forLayer(Params params, GraphAssembly graph) {
        String name = params.has(PARAM.name()) ? params.getString(PARAM.name()) : "model";
        return name.equals("model") ? graph.defaultInit() : byName(name);
    }
}
