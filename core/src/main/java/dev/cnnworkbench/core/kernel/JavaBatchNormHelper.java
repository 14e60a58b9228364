package dev.cnnworkbench.core.kernel;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch-normalization layer computed by {@link BatchNormKernel}: the same function as DL4J's own and oneDNN's
 * (batch statistics in training, with the biased variance; the running estimates in inference; DL4J's layer keeps
 * updating the running estimates from {@link #getMeanCache}/{@link #getVarCache}), in a fifth of the memory sweeps.
 * Float NCHW activations (and dense ones, which DL4J hands over as {@code [n, c, 1, 1]}); anything else (another
 * data type, NHWC) goes to the helper DL4J chose, {@code fallback} (oneDNN's, or {@code null}: DL4J's own code).
 *
 * <p>One instance per layer instance, used by the thread that trains it, as DL4J's helpers are; it computes on that
 * thread.
 */
public final class JavaBatchNormHelper implements BatchNormalizationHelper {

    private final BatchNormalizationHelper fallback;
    /** Whether the last forward pass went to {@link #fallback}: then its caches and backward pass are the ones. */
    private boolean delegated;
    /** The statistics the last forward pass normalised with: the batch's in training, else the running ones. */
    private float[] mean;
    private float[] variance;
    private boolean batchStatistics;
    private INDArray meanCache;
    private INDArray varCache;

    public JavaBatchNormHelper(BatchNormalizationHelper fallback) {
        this.fallback = fallback;
    }

    /** The helper DL4J chose for this layer, used for what this one does not compute ({@code null}: DL4J's code). */
    public BatchNormalizationHelper fallback() {
        return fallback;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    private static boolean computes(INDArray x, CNN2DFormat format) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && format == CNN2DFormat.NCHW
                && x.length() <= Integer.MAX_VALUE;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        delegated = !computes(x, format);
        if (delegated) {
            return fallback == null ? null
                    : fallback.preOutput(x, training, shape, gamma, beta, globalMean, globalVar, decay, eps, format,
                        workspaceMgr);
        }
        x = Dense.of(x);
        ChannelLayout layout = layout(x);
        int channels = layout.channels();
        batchStatistics = training;
        if (training) {
            if (mean == null || mean.length != channels) {
                mean = new float[channels];
                variance = new float[channels];
            }
            BatchNormKernel.statistics(Dense.floats(x), layout, mean, variance);
        } else {
            mean = globalMean.toFloatVector();
            variance = globalVar.toFloatVector();
        }
        keepStatistics();
        float[] g = gamma == null ? null : gamma.toFloatVector();
        float[] b = beta == null ? null : beta.toFloatVector();
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = (g == null ? 1 : g[c]) / Math.sqrt(variance[c] + eps);
            scale[c] = (float) s;
            shift[c] = (float) ((b == null ? 0 : b[c]) - mean[c] * s);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        BatchNormKernel.affine(Dense.floats(x), Dense.floats(out), layout, scale, shift);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (delegated || !computes(input, format) || mean == null) {
            return fallback == null ? null
                    : fallback.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps,
                        format, workspaceMgr);
        }
        INDArray x = Dense.of(input);
        INDArray dy = Dense.of(epsilon);
        ChannelLayout layout = layout(x);
        int channels = layout.channels();
        double[] sumDy = new double[channels];
        double[] sumDyX = new double[channels];
        BatchNormKernel.gradientSums(Dense.floats(x), Dense.floats(dy), layout, sumDy, sumDyX);
        float[] g = gamma == null ? null : gamma.toFloatVector();
        double count = layout.count();
        float[] a = new float[channels];
        float[] b = new float[channels];
        float[] k = new float[channels];
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 1 / Math.sqrt(variance[c] + eps);
            double sumDyXhat = s * (sumDyX[c] - mean[c] * sumDy[c]);
            double gs = (g == null ? 1 : g[c]) * s;
            a[c] = (float) gs;
            if (batchStatistics) { // the mean and variance depend on x too
                double bc = -gs * s * sumDyXhat / count;
                b[c] = (float) bc;
                k[c] = (float) (-gs * sumDy[c] / count - bc * mean[c]);
            }
            dGamma[c] = (float) sumDyXhat;
            dBeta[c] = (float) sumDy[c];
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(), 'c');
        BatchNormKernel.combine(Dense.floats(x), Dense.floats(dy), Dense.floats(dx), layout, a, b, k);
        Gradient gradient = new DefaultGradient();
        if (dGammaView != null) {
            dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
            dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        }
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, dx);
    }

    /**
     * The statistics of the last forward pass as arrays outside any workspace, where DL4J's layer reads the batch's to
     * move its running estimates (after an inference pass they are the running estimates: no move).
     */
    private void keepStatistics() {
        if (meanCache == null || meanCache.length() != mean.length) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                meanCache = Nd4j.create(DataType.FLOAT, mean.length);
                varCache = Nd4j.create(DataType.FLOAT, mean.length);
            }
        }
        Dense.floats(meanCache).put(0, mean);
        Dense.floats(varCache).put(0, variance);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return !delegated ? meanCache : fallback == null ? null : fallback.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return !delegated ? varCache : fallback == null ? null : fallback.getVarCache(dataType);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    private static ChannelLayout layout(INDArray x) {
        return new ChannelLayout((int) x.size(0), (int) x.size(1), (int) (x.size(2) * x.size(3)));
    }
}
