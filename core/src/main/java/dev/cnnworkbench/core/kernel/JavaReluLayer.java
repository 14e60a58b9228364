package dev.cnnworkbench.core.kernel;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's activation layer for a plain ReLU computed by {@link ReluKernel}: the same function, one read and one write
 * forward and one write backward. DL4J's layer copies its input before applying the function in place, copies it
 * again before the backward op, which writes a detached array that is then copied into the workspace: about twice
 * the memory traffic, and the layers are 16% of a ResNet-20 step. Arrays that are not dense floats go to DL4J's code.
 * The layer's configuration is DL4J's own, so a saved network does not name this class.
 *
 * <p>Used by the thread that trains the network, as every DL4J layer.
 */
public final class JavaReluLayer extends ActivationLayer {

    JavaReluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether a layer with activation {@code fn} computes a plain {@code max(x, 0)}: no cap, threshold or slope. */
    static boolean plainRelu(IActivation fn) {
        return fn instanceof ActivationReLU relu && relu.getMax() == null
                && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
    }

    private static boolean computes(INDArray x) {
        return x.dataType() == DataType.FLOAT && Dense.is(x) && x.length() <= Integer.MAX_VALUE;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        if (!computes(input)) {
            return super.activate(training, mgr);
        }
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        ReluKernel.forward(Dense.floats(input), Dense.floats(out), (int) input.length());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (!computes(input) || !computes(epsilon) || !java.util.Arrays.equals(input.shape(), epsilon.shape())) {
            return super.backpropGradient(epsilon, mgr);
        }
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        ReluKernel.backward(Dense.floats(input), Dense.floats(epsilon), Dense.floats(dx), (int) input.length());
        return new Pair<>(new DefaultGradient(), dx);
    }
}
