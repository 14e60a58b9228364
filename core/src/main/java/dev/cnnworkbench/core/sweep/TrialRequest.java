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
 */
public record TrialRequest(String sweepId, int trial, String specJson, String objectiveMetric, double explosionFactor,
                           Asha asha) {
}
