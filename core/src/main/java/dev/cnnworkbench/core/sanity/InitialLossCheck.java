package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.engine.Evaluator;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The notes' "make sure the initial loss has a reasonable value": with regularisation off, the untrained network's
 * softmax cross-entropy should be about ln(C), the loss of predicting every class with probability 1/C (2.303 for 10
 * classes).
 *
 * <p>Tolerance: {@value #TOLERANCE} x ln(C) either side (0.58 for 10 classes). With class-balanced labels and scores
 * that do not depend on the label, the expected loss is at least ln(C) (the cross-entropy of the uniform label
 * distribution against any prediction), and a second-order expansion gives about ln(C) + var(s)/2 for scores of
 * variance var(s): the tolerance accepts initial scores with a standard deviation up to about 1.1, an untrained
 * network favouring some classes by a factor of up to e^1.1 = 3. That admits the usual initialisations: the notes'
 * LeNet-5 (lenet5-fashion.json) measures 2.31 with xavier, 2.74 with he (whose ReLU gain also widens the softmax
 * layer's scores), 2.303 with small-gaussian. Beyond it the scores start confidently wrong (weights far too large,
 * unnormalised inputs, a broken output layer: losses of 5 to 50 and more); well below ln(C), the network sees the
 * labels. Sampling error is negligible: {@value #EXAMPLES} examples put the mean within about 0.02.
 */
final class InitialLossCheck implements SanityCheck {

    static final double TOLERANCE = 0.25;
    static final int EXAMPLES = 512;

    @Override
    public String name() {
        return "initial_loss";
    }

    @Override
    public String description() {
        return "initial loss with regularisation off is about ln(C)";
    }

    @Override
    public CheckResult run(CheckContext c) {
        ComputationGraph net = CheckNetworks.init(CheckNetworks.withoutRegularization(CheckNetworks.configure(
                c.experiment(), c.classes(), c.experiment().baseLearningRate(), DataType.FLOAT)));
        if (!Evaluator.isSoftmaxCrossEntropy(net)) {
            return CheckResult.skipped(name(), "the output layer is not softmax with cross-entropy; the ln(C) rule"
                    + " applies to that loss only");
        }
        double expected = Math.log(c.classes());
        double loss = CheckNetworks.meanScore(net, CheckNetworks.first(c.reference(), EXAMPLES),
                c.experiment().spec().train().batch());
        boolean ok = Math.abs(loss - expected) <= TOLERANCE * expected;
        String detail = String.format(Locale.ROOT, "mean cross-entropy of the untrained network on %d images,"
                        + " regularisation off; %s", Math.min(EXAMPLES, c.reference().size()),
                ok ? "the network starts near chance"
                        : loss > expected ? "scores start confidently wrong: weights too large, unnormalised inputs?"
                        : "below chance: does the network see the labels?");
        return CheckResult.of(name(), ok, loss,
                String.format(Locale.ROOT, "%.3f ± %.3f (ln %d)", expected, TOLERANCE * expected, c.classes()), detail);
    }
}
