package dev.cnnworkbench.core.bus;

/**
 * A training-health warning about a run (initial loss far from ln(C), update ratio far from 1e-3, vanishing or
 * exploding gradients, saturated or dead activations). Published between the run's start and end.
 *
 * @param kind    a stable short code, e.g. {@code initial_loss}, {@code update_ratio}, {@code dead_relu}
 * @param step    the iteration it refers to
 * @param message what is wrong and what to try, for people
 * @param time    epoch milliseconds
 */
public record RunWarning(String runId, String kind, long step, String message, long time) {
}
