package dev.cnnworkbench.core.diagnostics;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The families of non-linearity whose failure modes the diagnostics check: ReLUs can die (output 0 for every input),
 * tanh and sigmoid can saturate (outputs pinned near their asymptotes, local gradients near 0).
 */
enum ActivationKind {

    /** max(0, x) (and ReLU6): watched for dead units. */
    RELU,
    /** tanh and hard tanh, asymptotes -1 and 1: watched for saturation. */
    TANH,
    /** sigmoid and hard sigmoid, asymptotes 0 and 1: watched for saturation. */
    SIGMOID,
    /** anything else (identity, softmax, leaky ReLU, ELU, ...): not checked. */
    OTHER;

    static ActivationKind of(IActivation fn) {
        if (fn instanceof ActivationReLU relu) {
            Double slope = relu.getNegativeSlope();
            return slope == null || slope == 0.0 ? RELU : OTHER;
        }
        if (fn instanceof ActivationReLU6) {
            return RELU;
        }
        if (fn instanceof ActivationTanH || fn instanceof ActivationHardTanH) {
            return TANH;
        }
        if (fn instanceof ActivationSigmoid || fn instanceof ActivationHardSigmoid) {
            return SIGMOID;
        }
        return OTHER;
    }

    /** Whether outputs near the asymptotes are a failure mode of this kind. */
    boolean saturates() {
        return this == TANH || this == SIGMOID;
    }
}
