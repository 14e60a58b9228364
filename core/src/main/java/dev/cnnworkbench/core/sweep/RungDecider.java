package dev.cnnworkbench.core.sweep;

/**
 * Judges trials at ASHA rungs. {@link RungTable} is the judge itself; a remote trial talks to it over the event bus
 * ({@link BusRungDecider}). Called on training threads, possibly several at once; may block briefly.
 */
@FunctionalInterface
public interface RungDecider {

    /** Records that {@code trial} reached the rung after {@code epochs} epochs with {@code value}, and answers. */
    RungDecision report(int trial, int epochs, double value);
}
