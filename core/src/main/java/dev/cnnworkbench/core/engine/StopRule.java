package dev.cnnworkbench.core.engine;

import java.util.Map;

/**
 * Decides whether a run should end early (divergence, early termination of a sweep trial, early
 * stopping). Consulted on the training thread after every iteration and every epoch; a non-null
 * answer is the reason, recorded with the run's {@code STOPPED} status. Methods default to "go on".
 */
public interface StopRule {

    StopRule NEVER = new StopRule() { };

    /** After iteration {@code iteration} (0-based, counted over the whole run) with its training loss. */
    default String afterIteration(int epoch, long iteration, double loss) {
        return null;
    }

    /** After epoch {@code epoch} (0-based) with its epoch-level metrics ({@code val_accuracy}, ...). */
    default String afterEpoch(int epoch, Map<String, Double> metrics) {
        return null;
    }
}
