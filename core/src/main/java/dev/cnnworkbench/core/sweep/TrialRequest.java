package dev.cnnworkbench.core.sweep;

/**
 * Train one trial: the body of {@link SweepAddresses#TRIAL_RUN}.
 *
 * @param sweepId         the sweep (its rung address is {@link SweepAddresses#rung(String)})
 * @param trial           the trial's number
 * @param specJson        the trial's complete spec (the base with the trial's values, name and experiment set)
 * @param objectiveMetric the metric ASHA judges the trial on
 * @param explosionFactor stop once the loss exceeds this many times the initial loss; 0: never
 * @param asha            successive-halving settings, or {@code null} for none
 * @param user            who runs the sweep (the trial's run is attributed to them), or {@code null}: the worker's user
 */
public record TrialRequest(String sweepId, int trial, String specJson, String objectiveMetric, double explosionFactor,
                           Asha asha, String user) {

    /** A trial of the worker's own user. */
    public TrialRequest(String sweepId, int trial, String specJson, String objectiveMetric, double explosionFactor,
                        Asha asha) {
        this(sweepId, trial, specJson, objectiveMetric, explosionFactor, asha, null);
    }
}
