package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RunStatus;
import java.util.Map;

/**
 * How a trial ended: the reply to a {@link TrialRequest}.
 *
 * @param sweepId the sweep
 * @param trial   the trial's number
 * @param runId   the trial's run, or {@code null} when none started (its spec was refused)
 * @param status  {@code FINISHED}, {@code STOPPED} (a stop rule; see {@code reason}) or {@code FAILED}
 * @param metrics the last value of each epoch-level and test metric; NaN values are kept
 * @param reason  why it stopped or failed; {@code null} when it finished
 */
public record TrialOutcome(String sweepId, int trial, String runId, RunStatus status, Map<String, Double> metrics,
                           String reason) {

    public TrialOutcome {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
