package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import java.util.Map;

/**
 * One trial's side of successive halving: at the end of each epoch that is a rung, it reports the trial's
 * objective (an epoch-level metric such as {@code val_accuracy} or {@code val_loss}; a missing one counts as NaN)
 * to the sweep's {@link RungDecider} and stops the trial when told to. One instance per trial.
 */
public final class AshaRule implements StopRule {

    private final Asha asha;
    private final String metric;
    private final int trial;
    private final int epochs;
    private final RungDecider decider;

    /**
     * @param metric  the objective metric
     * @param trial   the trial's number
     * @param epochs  the trial's budget; the last epoch is never a rung
     * @param decider the sweep's judge
     */
    public AshaRule(Asha asha, String metric, int trial, int epochs, RungDecider decider) {
        this.asha = asha;
        this.metric = metric;
        this.trial = trial;
        this.epochs = epochs;
        this.decider = decider;
    }

    @Override
    public String afterEpoch(int epoch, Map<String, Double> metrics) {
        int done = epoch + 1;
        if (!asha.isRung(done, epochs)) {
            return null;
        }
        Double value = metrics.get(metric);
        RungDecision decision = decider.report(trial, done, value == null ? Double.NaN : value);
        return decision.promote() ? null : decision.reason();
    }
}
