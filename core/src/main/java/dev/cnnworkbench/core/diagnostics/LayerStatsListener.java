package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.kernel.ActivationStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures the watched layers on every {@code every}-th iteration (the first included), reading DL4J's own arrays in
 * place: activations in {@link #onForwardPass} (output layers have none there: DL4J computes their output inside the
 * loss), the raw gradients and the weights before the update in {@link #onGradientCalculation}, the applied update in
 * {@link #iterationDone} (by then the optimizer has turned the gradient view into the update it subtracted from the
 * parameters). Norms are ND4J reductions whose scalar result is all that leaves native memory; the activation
 * statistics take one read of each array ({@link ActivationStatistics}). Iterations not sampled cost one modulo per
 * callback. Training thread only.
 */
final class LayerStatsListener extends BaseTrainingListener {

    private final List<WatchedLayer> layers;
    private final int every;
    private final double[][] values;
    private boolean sampling;
    private List<LayerSample> ready;

    private static final int GRAD = 0;
    private static final int WEIGHT = 1;
    private static final int UPDATE = 2;
    private static final int MEAN = 3;
    private static final int STD = 4;
    private static final int ZERO = 5;
    private static final int DEAD = 6;
    private static final int SATURATED = 7;

    /** @param every sample every this many iterations; must be positive */
    LayerStatsListener(List<WatchedLayer> layers, int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be positive, got " + every);
        }
        this.layers = List.copyOf(layers);
        this.every = every;
        this.values = new double[layers.size()][8];
    }

    /** Whether the iteration with 0-based index {@code iteration} is sampled. */
    boolean sampled(long iteration) {
        return iteration % every == 0;
    }

    /** The samples of the last sampled iteration, once; {@code null} when none is waiting. */
    List<LayerSample> take() {
        List<LayerSample> out = ready;
        ready = null;
        return out;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        sampling = sampled(((ComputationGraph) model).getIterationCount());
        if (!sampling) {
            return;
        }
        for (double[] v : values) {
            Arrays.fill(v, Double.NaN);
        }
        for (int i = 0; i < layers.size(); i++) {
            INDArray a = activations.get(layers.get(i).name());
            if (a != null && a.length() > 0) {
                activationStats(layers.get(i), a, values[i]);
            }
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!sampling) {
            return;
        }
        ComputationGraph net = (ComputationGraph) model;
        // DL4J back-propagates the sum over the mini-batch and divides by its size in the updater; report the
        // gradient of the mean loss, the one the recorded train_loss is.
        boolean summed = net.getConfiguration().getDefaultConfiguration().isMiniBatch();
        double scale = summed && net.batchSize() > 0 ? 1.0 / net.batchSize() : 1.0;
        for (int i = 0; i < layers.size(); i++) {
            WatchedLayer layer = layers.get(i);
            if (layer.hasWeights()) {
                values[i][GRAD] = scale * layer.weightGradient().norm2Number().doubleValue();
                values[i][WEIGHT] = layer.weights().norm2Number().doubleValue();
            }
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!sampling) {
            return;
        }
        sampling = false;
        List<LayerSample> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            WatchedLayer layer = layers.get(i);
            double[] v = values[i];
            if (layer.hasWeights()) {
                v[UPDATE] = layer.weightGradient().norm2Number().doubleValue();
            }
            out.add(new LayerSample(layer, v[GRAD], v[WEIGHT], v[UPDATE], v[MEAN], v[STD], v[ZERO], v[DEAD],
                    v[SATURATED]));
        }
        ready = out;
    }

    /** Bounds of the saturation band counted for each kind of non-linearity: values below and above them. */
    private static float[] saturationBand(ActivationKind kind) {
        return switch (kind) {
            case TANH -> new float[] {-0.98f, 0.98f};
            case SIGMOID -> new float[] {0.01f, 0.99f};
            default -> new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        };
    }

    private static void activationStats(WatchedLayer layer, INDArray a, double[] v) {
        float[] band = saturationBand(layer.activation());
        ActivationStatistics.Summary s = ActivationStatistics.of(a, band[0], band[1]);
        v[MEAN] = s.mean();
        v[STD] = s.std();
        v[ZERO] = s.zeroFraction();
        if (layer.output()) {
            return;
        }
        if (layer.activation() == ActivationKind.RELU) {
            v[DEAD] = s.deadFraction();
        } else if (layer.activation() == ActivationKind.TANH || layer.activation() == ActivationKind.SIGMOID) {
            v[SATURATED] = s.belowFraction() + s.aboveFraction();
        }
    }
}
