package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.spec.EarlyStoppingSpec;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train.early_stopping} as a {@link StopRule}: stops after {@code patience} epochs in a row that did not beat
 * the best epoch of a {@link BestModel} (which the trainer offers each epoch first). Used by the training thread only.
 */
final class EarlyStopping implements StopRule {

    private final EarlyStoppingSpec spec;
    private final BestModel best;

    EarlyStopping(EarlyStoppingSpec spec, BestModel best) {
        this.spec = spec;
        this.best = best;
    }

    @Override
    public String afterEpoch(int epoch, Map<String, Double> metrics) {
        int since = epoch - best.bestEpoch();
        if (best.bestEpoch() < 0 || since < spec.patience()) {
            return null;
        }
        return String.format(Locale.ROOT, "early stopping: %s did not improve%s for %d epoch%s (best %.4f after epoch %d)",
                spec.metric(), spec.minDelta() > 0 ? " by more than " + spec.minDelta() : "", since,
                since == 1 ? "" : "s", best.bestValue(), best.bestEpoch() + 1);
    }
}
