package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.engine.TrainingObserver;
import java.util.Locale;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The notes' first sanity check: a softmax cross-entropy classifier over C classes starts at a data loss of about
 * ln(C). After the first mini-batch it compares that batch's data loss (the network's score minus its regularisation
 * term) with ln(C) and warns ({@code initial_loss}) when they differ by more than
 * {@link Thresholds#INITIAL_LOSS_TOLERANCE} of ln(C). Networks with another loss are not checked. Costs one
 * regularisation sum, once. Training thread only.
 */
final class InitialLossCheck implements TrainingObserver {

    private final Warnings warnings;
    private final int classes;

    InitialLossCheck(Warnings warnings, int classes) {
        this.warnings = warnings;
        this.classes = classes;
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        if (iterationsDone != 1 || classes < 2 || !isSoftmaxCrossEntropy(net)) {
            return;
        }
        double loss = net.score() - net.calcRegularizationScore(true);
        check(loss, classes, warnings);
    }

    /** Warns when {@code loss}, the data loss of the first mini-batch, is far from ln({@code classes}). */
    static void check(double loss, int classes, Warnings warnings) {
        double expected = Math.log(classes);
        double tolerance = Thresholds.INITIAL_LOSS_TOLERANCE * expected;
        if (Double.isFinite(loss) && Math.abs(loss - expected) <= tolerance) {
            return;
        }
        String advice = loss > expected
                ? "The network starts out confidently wrong: the initial weights (or the inputs) are too large. Use"
                + " xavier or he initialisation (or small-gaussian), scale the inputs to [0, 1] or standardise them."
                : "A loss this low before any training suggests the labels leak into the inputs, or a bug in the"
                + " data pipeline; check the data before training further.";
        warnings.warn(Warnings.INITIAL_LOSS, null, 0, String.format(Locale.ROOT,
                "initial loss %s (data loss of the first mini-batch, regularisation excluded) is far from ln(%d) = %.3f,"
                        + " the loss of a %d-class softmax classifier at initialisation (warns outside [%.2f, %.2f]). %s",
                HealthMonitor.num(loss), classes, expected, classes, expected - tolerance, expected + tolerance,
                advice));
    }

    static boolean isSoftmaxCrossEntropy(ComputationGraph net) {
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        return net.getConfiguration().getVertices().get(out) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof BaseOutputLayer ol
                && ol.getLossFn() instanceof LossMCXENT && ol.getActivationFn() instanceof ActivationSoftmax;
    }
}
