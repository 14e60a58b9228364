package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.Batches;
import dev.cnnworkbench.core.engine.Evaluator;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The notes' "make sure that you can overfit a very small portion of the training data": {@value #EXAMPLES} training
 * images, regularisation and augmentation off, the spec's optimizer at its base learning rate (constant), one
 * full-batch step per epoch; training accuracy (inference mode) must reach 100% within {@value #MAX_EPOCHS} epochs,
 * the notes' budget. A network that cannot learn 20 images by heart has a bug or a learning rate far off.
 */
final class OverfitCheck implements SanityCheck {

    static final int EXAMPLES = 20;
    static final int MAX_EPOCHS = 200;

    @Override
    public String name() {
        return "overfit_small_subset";
    }

    @Override
    public String description() {
        return "reaches 100% training accuracy on " + EXAMPLES + " images, regularisation off";
    }

    @Override
    public CheckResult run(CheckContext c) {
        ImageSet tiny = CheckNetworks.first(c.train(), EXAMPLES);
        ComputationGraph net = CheckNetworks.init(CheckNetworks.withoutRegularization(CheckNetworks.configure(
                c.experiment(), c.classes(), c.experiment().baseLearningRate(), DataType.FLOAT)));
        DataSet all = Batches.toDataSet(Batches.gather(tiny, null, 0, tiny.size()));
        double accuracy = 0;
        int epoch = 0;
        while (epoch < MAX_EPOCHS && accuracy < 1) {
            net.fit(all);
            epoch++;
            accuracy = Evaluator.evaluate(net, tiny).accuracy();
            if (epoch % 10 == 0 || accuracy == 1) {
                c.progress().step(epoch, MAX_EPOCHS, String.format(Locale.ROOT, "train accuracy %.2f", accuracy));
            }
        }
        double loss = net.score(all, false);
        boolean ok = accuracy == 1;
        return CheckResult.of(name(), ok, accuracy,
                String.format(Locale.ROOT, "1.000 within %d epochs", MAX_EPOCHS),
                String.format(Locale.ROOT, "%s after %d epoch%s on %d images (loss %.4f), lr %.3g constant, no"
                                + " regularisation or augmentation%s", ok ? "100% train accuracy" : "train accuracy "
                                + String.format(Locale.ROOT, "%.3f", accuracy), epoch, epoch == 1 ? "" : "s",
                        tiny.size(), loss, c.experiment().baseLearningRate(),
                        ok ? "" : "; a learning rate far off, or a bug in the network"));
    }
}
