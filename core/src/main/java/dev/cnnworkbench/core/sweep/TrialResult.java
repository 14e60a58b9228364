package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RunStatus;
import java.util.List;

/**
 * How one trial ended, as a sweep table shows it.
 *
 * @param trial     the trial
 * @param runId     its run, or {@code null} when it never started (a spec the resolver refused)
 * @param status    the run's status ({@code FINISHED}, {@code STOPPED} by a stop rule, {@code FAILED}, ...)
 * @param objective the run's last value of the sweep's objective metric; {@code null} when it has none
 * @param reason    why it stopped or failed; {@code null} when it finished
 */
public record TrialResult(Trial trial, String runId, RunStatus status, Double objective, String reason) {

    /** Whether a resumed sweep leaves this trial alone: it ran to the end or was stopped on purpose. */
    public boolean done() {
        return status == RunStatus.FINISHED || status == RunStatus.STOPPED;
    }

    /** The sweeps' ranking rule over results ({@link TrialRanking}). */
    public static TrialRanking<TrialResult> ranking(Objective objective) {
        return new TrialRanking<>(objective, TrialResult::status, TrialResult::objective, r -> r.trial().number());
    }

    /** {@code results} best first, by {@link TrialRanking}. */
    public static List<TrialResult> ranked(List<TrialResult> results, Objective objective) {
        return ranking(objective).rank(results);
    }
}
