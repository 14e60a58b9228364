package dev.cnnworkbench.core.sanity;

/**
 * One of the notes' checks that a network and its training are wired correctly before a long run. Implementations
 * are stateless; {@link #run} builds its own networks and uses the calling thread.
 */
public interface SanityCheck {

    /** A stable short name, as stored ({@code initial_loss}). */
    String name();

    /** One line for people: what is checked. */
    String description();

    CheckResult run(CheckContext context);
}
