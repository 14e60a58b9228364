package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.plugin.ParamSpec;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/** The activation functions of the lecture notes, by the names specs use. */
final class Activations {

    static final List<String> NAMES = List.of("identity", "sigmoid", "tanh", "relu", "leakyrelu", "elu", "softmax");

    private Activations() {
    }

    /** An {@code activation} parameter defaulting to {@code defaultName}. */
    static ParamSpec param(String defaultName) {
        return ParamSpec.choice("activation", defaultName, NAMES, "non-linearity applied to the output");
    }

    /** The function named {@code name}; {@code alpha} is the negative slope of {@code leakyrelu}. */
    static IActivation byName(String name, double alpha) {
        return switch (name) {
            case "identity" -> Activation.IDENTITY.getActivationFunction();
            case "sigmoid" -> Activation.SIGMOID.getActivationFunction();
            case "tanh" -> Activation.TANH.getActivationFunction();
            case "relu" -> Activation.RELU.getActivationFunction();
            case "leakyrelu" -> new ActivationLReLU(alpha);
            case "elu" -> Activation.ELU.getActivationFunction();
            case "softmax" -> Activation.SOFTMAX.getActivationFunction();
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
        };
    }

    static IActivation byName(String name) {
        return byName(name, 0.01);
    }
}
