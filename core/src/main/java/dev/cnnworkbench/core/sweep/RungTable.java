package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RungJudged;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rungs of one sweep's asynchronous successive halving, shared by all its trials. A trial that reached a rung
 * with {@code n} trials recorded there (itself included) goes on when {@code n < eta} (too few to judge yet: early
 * trials cannot wait for later ones, as they could in the paper's ASHA, since a stopped trial does not resume), or
 * when its rank among those {@code n} (1 = best; tied values share the better rank) is at most
 * {@code max(1, floor(n / eta))}, i.e. it is in the top {@code 1/eta}. A NaN value ranks last. Thread-safe.
 */
public final class RungTable implements RungDecider {

    private final Asha asha;
    private final Objective objective;
    /** rung (epochs) to trial number to value. */
    private final Map<Integer, Map<Integer, Double>> rungs = new HashMap<>();

    public RungTable(Asha asha, Objective objective) {
        this.asha = asha;
        this.objective = objective;
    }

    public Asha asha() {
        return asha;
    }

    /** Records a value without judging it: a trial of an earlier session of a resumed sweep. */
    public synchronized void seed(int trial, int epochs, double value) {
        rungs.computeIfAbsent(epochs, k -> new LinkedHashMap<>()).put(trial, value);
    }

    /** Values recorded at the rung after {@code epochs} epochs, by trial. */
    public synchronized Map<Integer, Double> rung(int epochs) {
        return Map.copyOf(rungs.getOrDefault(epochs, Map.of()));
    }

    @Override
    public RungDecision report(int trial, int epochs, double value) {
        RungJudged j = judge("", trial, epochs, value, System.currentTimeMillis());
        return new RungDecision(j.promoted(), j.reason());
    }

    /**
     * Records a trial's value at a rung and judges it: the decision with its rank, the number of trials at the rung
     * and the threshold (the worst value still kept there: the value at rank {@code keep}).
     */
    public synchronized RungJudged judge(String sweepId, int trial, int epochs, double value, long time) {
        Map<Integer, Double> rung = rungs.computeIfAbsent(epochs, k -> new LinkedHashMap<>());
        rung.put(trial, value);
        int n = rung.size();
        int better = 0;
        for (double other : rung.values()) {
            if (objective.better(other, value)) {
                better++;
            }
        }
        int rank = better + 1;
        if (n < asha.eta()) {
            return new RungJudged(sweepId, trial, epochs, value, Double.NaN, rank, n, true, String.format(Locale.ROOT,
                    "rung %d: only %d trial(s) so far, fewer than eta=%d", epochs, n, asha.eta()), time);
        }
        int keep = Math.max(1, n / asha.eta());
        double threshold = rung.values().stream().sorted(objective.order()).skip(keep - 1).findFirst().orElse(Double.NaN);
        String where = String.format(Locale.ROOT, "%s %s ranks %d of %d at the rung after %d epoch(s)",
                objective.metric(), Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.4g", value),
                rank, n, epochs);
        return rank <= keep
                ? new RungJudged(sweepId, trial, epochs, value, threshold, rank, n, true,
                        where + ", within the top " + keep, time)
                : new RungJudged(sweepId, trial, epochs, value, threshold, rank, n, false, "ASHA: " + where
                        + ", outside the top " + keep + " (1/" + asha.eta() + ", threshold "
                        + String.format(Locale.ROOT, "%.4g", threshold) + ")", time);
    }
}
