package dev.cnnworkbench.plugins.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The forward and backward pass of {@link LayerNormalization}. Inputs are viewed as {@code [N, C, S]} ({@code S}
 * the spatial size of a volume, 1 for a vector); statistics are per example over {@code C * S} values, scale and
 * shift per {@code C}. The backward pass recomputes the statistics from the stored input rather than caching them.
 * Parameter gradients are sums over the mini-batch (DL4J's updater divides by its size).
 */
final class LayerNormRuntime extends BaseLayer<LayerNormalization> {

    LayerNormRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** The input as a C-ordered {@code [N, C, S]} array and its per-example normalisation. */
    private final class Normalised {
        final long n;
        final long c;
        final long s;
        final INDArray xHat;
        final INDArray std;

        Normalised() {
            INDArray x = input.ordering() == 'c' ? input : input.dup('c');
            n = x.size(0);
            c = layerConf().getNOut();
            s = x.length() / (n * c);
            INDArray rows = x.reshape('c', n, c * s).castTo(dataType);
            INDArray centred = rows.subColumnVector(rows.mean(true, 1));
            std = Transforms.sqrt(centred.mul(centred).mean(true, 1).addi(layerConf().eps()), false);
            xHat = centred.diviColumnVector(std);
        }

        INDArray volume(INDArray rows) {
            return rows.reshape('c', n, c, s);
        }
    }

    private INDArray gamma() {
        return getParam(LayerNormParams.GAMMA).reshape(layerConf().getNOut());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Normalised z = new Normalised();
        INDArray y = z.volume(z.xHat).dup('c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(y, gamma(), y, 1));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(y, getParam(LayerNormParams.BETA).reshape(z.c), y, 1));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
        return out.assign(y.reshape('c', input.shape()));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Normalised z = new Normalised();
        INDArray dOut = (epsilon.ordering() == 'c' ? epsilon : epsilon.dup('c')).reshape('c', z.n, z.c, z.s)
                .castTo(dataType);
        INDArray xHat = z.volume(z.xHat);

        Gradient gradient = new DefaultGradient();
        INDArray dGamma = gradientViews.get(LayerNormParams.GAMMA);
        dGamma.assign(dOut.mul(xHat).sum(0, 2).reshape(dGamma.shape()));
        gradient.gradientForVariable().put(LayerNormParams.GAMMA, dGamma);
        INDArray dBeta = gradientViews.get(LayerNormParams.BETA);
        dBeta.assign(dOut.sum(0, 2).reshape(dBeta.shape()));
        gradient.gradientForVariable().put(LayerNormParams.BETA, dBeta);

        // dx = (dxHat - mean(dxHat) - xHat * mean(dxHat * xHat)) / std, means over each example's features.
        INDArray dxHat = dOut.dup('c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dxHat, gamma(), dxHat, 1));
        INDArray rows = dxHat.reshape('c', z.n, z.c * z.s);
        INDArray dx = rows.subColumnVector(rows.mean(true, 1))
                .subi(z.xHat.mulColumnVector(rows.mul(z.xHat).mean(true, 1)))
                .diviColumnVector(z.std);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        return new Pair<>(gradient, out.assign(dx.reshape('c', input.shape())));
    }
}
