package dev.cnnworkbench.core.bus;

/**
 * A sweep's early-stop rule (ASHA) judged a trial at a rung: the decision, and what it was measured against.
 *
 * @param sweepId   the sweep
 * @param trial     the trial's number
 * @param rung      epochs completed at the rung
 * @param value     the trial's objective there; NaN when it had none
 * @param threshold the value a trial had to match or beat to go on (the worst value kept at this rung); NaN when the
 *                  rung held too few trials to judge
 * @param rank      the trial's rank at the rung (1 = best)
 * @param of        trials recorded at the rung, itself included
 * @param promoted  whether it went on training
 * @param reason    the decision in words
 * @param time      epoch milliseconds
 */
public record RungJudged(String sweepId, int trial, int rung, double value, double threshold, int rank, int of,
                         boolean promoted, String reason, long time) {
}
