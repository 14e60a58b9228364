package dev.cnnworkbench.core.sweep;

/**
 * A trial reached an ASHA rung: the request a trial's stop rule sends to the sweep's coordinator.
 *
 * @param sweepId the sweep
 * @param trial   the trial's number
 * @param epochs  epochs it completed (the rung)
 * @param value   its objective metric there; NaN when it has none
 */
public record RungReport(String sweepId, int trial, int epochs, double value) {
}
