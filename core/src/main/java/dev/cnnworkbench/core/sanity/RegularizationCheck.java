package dev.cnnworkbench.core.sanity;

import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The notes' second loss check: turning the regularisation up must raise the initial loss. The same untrained
 * network (same seed, so the same weights) is scored with regularisation off and with an L2 penalty of
 * {@code lambda = max(0.01, 10 x regularization.l2)}; the loss must rise, and by the penalty DL4J reports
 * (lambda/2 x sum of squared weights), so the penalty is really part of what is minimised.
 */
final class RegularizationCheck implements SanityCheck {

    @Override
    public String name() {
        return "regularization_raises_loss";
    }

    @Override
    public String description() {
        return "initial loss rises when regularisation is turned up";
    }

    @Override
    public CheckResult run(CheckContext c) {
        double lambda = Math.max(0.01, 10 * c.experiment().spec().regularization().l2());
        double lr = c.experiment().baseLearningRate();
        var images = CheckNetworks.first(c.reference(), InitialLossCheck.EXAMPLES);
        int batch = c.experiment().spec().train().batch();
        ComputationGraph off = CheckNetworks.init(CheckNetworks.withoutRegularization(
                CheckNetworks.configure(c.experiment(), c.classes(), lr, DataType.FLOAT)));
        double lossOff = CheckNetworks.meanScore(off, images, batch);
        c.progress().step(1, 2, "regularisation off");
        ComputationGraph on = CheckNetworks.init(CheckNetworks.withL2(
                CheckNetworks.configure(c.experiment(), c.classes(), lr, DataType.FLOAT), lambda));
        double lossOn = CheckNetworks.meanScore(on, images, batch);
        double penalty = on.calcRegularizationScore(true);
        c.progress().step(2, 2, "L2 " + lambda);
        double rise = lossOn - lossOff;
        boolean ok = rise > 0 && Math.abs(rise - penalty) <= 1e-3 * Math.max(1, penalty);
        return CheckResult.of(name(), ok, rise,
                String.format(Locale.ROOT, "+%.4f (the L2 penalty at lambda %.3g)", penalty, lambda),
                String.format(Locale.ROOT, "initial loss %.4f with regularisation off, %.4f with L2 lambda %.3g%s",
                        lossOff, lossOn, lambda, ok ? "" : rise <= 0 ? "; the penalty does not reach the loss"
                                : "; the loss rose by something other than the penalty"));
    }
}
