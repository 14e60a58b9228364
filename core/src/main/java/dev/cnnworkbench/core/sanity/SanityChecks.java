package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.experiment.Experiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The notes' sanity checks, run in their order on one experiment: initial loss, loss rising with regularisation,
 * overfitting a tiny subset, gradient check, learning-rate probe. They use small subsets (a few thousand training
 * images, a few hundred held-out ones) so that all of them take a minute or so for the notes' networks on a CPU.
 * Stateless; a run uses the calling thread.
 */
public final class SanityChecks {

    /** Every check, in the order they run. */
    public static final List<SanityCheck> ALL = List.of(new InitialLossCheck(), new RegularizationCheck(),
            new OverfitCheck(), new GradientCheck(), new LearningRateProbe());
    /** Training images the checks may fit: the probe's 50 mini-batches of 64. */
    static final int TRAIN_EXAMPLES = 3200;
    /** Held-out images the losses are measured on. */
    static final int REFERENCE_EXAMPLES = 512;

    private SanityChecks() {
    }

    /** The check called {@code name}. */
    public static Optional<SanityCheck> named(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * What the checks work on: the first {@value #TRAIN_EXAMPLES} training images of {@code split}, and as held-out
     * images its validation set, or its test set when there is no validation set (nothing is fitted to them).
     */
    public static CheckContext context(Experiment experiment, DataSplit split, CheckProgress progress) {
        ImageSet train = CheckNetworks.first(split.train(), TRAIN_EXAMPLES);
        ImageSet reference = split.validation().size() > 0 ? split.validation() : split.test();
        return new CheckContext(experiment, train, CheckNetworks.first(reference, REFERENCE_EXAMPLES), progress);
    }

    /**
     * Runs {@code checks} in order. A check that throws counts as failed, with the error as its detail; the others
     * still run.
     */
    public static List<CheckResult> run(CheckContext context, List<SanityCheck> checks) {
        List<CheckResult> out = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            SanityCheck check = checks.get(i);
            context.progress().checkStarted(i + 1, checks.size(), check);
            CheckResult result;
            try {
                result = check.run(context);
            } catch (RuntimeException e) {
                result = new CheckResult(check.name(), CheckResult.Verdict.FAIL, Double.NaN, "no error",
                        "the check failed with an error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            context.progress().checkDone(result);
            out.add(result);
        }
        return out;
    }
}
