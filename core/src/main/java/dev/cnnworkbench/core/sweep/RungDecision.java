package dev.cnnworkbench.core.sweep;

/**
 * The answer to a trial that reached an ASHA rung.
 *
 * @param promote whether the trial goes on training
 * @param reason  why it stops (recorded with its {@code STOPPED} status), or why it goes on
 */
public record RungDecision(boolean promote, String reason) {
}
