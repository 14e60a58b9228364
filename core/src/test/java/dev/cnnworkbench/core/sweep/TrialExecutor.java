package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;

/**
 * Trains one trial to its end. Called by a {@link TrialWorker} on a worker thread, possibly for several trials at
 * once; implementations must be thread-safe across calls. Never throws for a trial that fails: a failure is an
 * outcome ({@code FAILED} with its reason).
 */
@FunctionalInterface
interface TrialExecutor {

    /**
     * @param request  the trial
     * @param stopRule the trial's stop rules (explosion, ASHA), built by the worker from the request
     */
    TrialOutcome execute(TrialRequest request, StopRule stopRule);
}
