package com.example.workbench.swish;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Swish, forward and backward, as a DL4J activation function:
 * {@code f(x) = x * s(beta x)} and {@code f'(x) = s(beta x) + beta x s(beta x) (1 - s(beta x))}, with {@code s}
 * the logistic sigmoid. DL4J serialises activations into a network's configuration with Jackson, so the class
 * keeps a no-argument constructor and a bean property.
 */
public class SwishActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    private double beta = 1.0;

    public SwishActivation() {
    }

    public SwishActivation(double beta) {
        this.beta = beta;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    /** Forward pass, in place as DL4J expects: {@code in} becomes {@code in * s(beta in)}. */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray gate = Transforms.sigmoid(in.mul(beta), false);
        return in.muli(gate);
    }

    /** Backward pass: the gradient with respect to the input, {@code f'(in) * epsilon}; swish has no parameters. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray gate = Transforms.sigmoid(in.mul(beta), false);
        INDArray derivative = in.mul(beta).muli(gate).muli(gate.rsub(1.0)).addi(gate);
        return new Pair<>(derivative.muli(epsilon), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwishActivation other && Double.compare(beta, other.beta) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(beta);
    }

    @Override
    public String toString() {
        return "swish(beta=" + beta + ")";
    }
}
