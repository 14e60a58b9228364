package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RunStatus;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The one rule that ranks a sweep's trials, used by the sweep table, the sweep page, {@code sweep refine} and
 * {@code ensemble --sweep --top K}. A trial is <em>usable</em> when it {@code FINISHED} or was {@code STOPPED} by a
 * stop rule (ASHA, the explosion rule) with a finite value of the objective: usable trials rank by that value in the
 * declared direction, a stopped one by its last value (and marked as stopped where shown), whatever its status. Then
 * come the trials still running, then the rest ({@code FAILED}, {@code INTERRUPTED}, NaN or no value); those two groups, and ties, by
 * trial number. Stateless.
 *
 * @param <T> what is ranked: a CLI result, a stored trial
 */
public final class TrialRanking<T> {

    private final Objective objective;
    private final Function<T, RunStatus> status;
    private final Function<T, Double> value;
    private final ToIntFunction<T> trial;

    /**
     * @param status its run's status ({@code null}: no run yet)
     * @param value  its last value of the objective metric ({@code null}: none)
     * @param trial  its trial number
     */
    public TrialRanking(Objective objective, Function<T, RunStatus> status, Function<T, Double> value,
                        ToIntFunction<T> trial) {
        this.objective = objective;
        this.status = status;
        this.value = value;
        this.trial = trial;
    }

    /** Whether a trial with this status and objective value ranks among the usable ones. */
    public static boolean usable(RunStatus status, Double value) {
        return (status == RunStatus.FINISHED || status == RunStatus.STOPPED) && value != null && Double.isFinite(value);
    }

    public boolean usable(T item) {
        return usable(status.apply(item), value.apply(item));
    }

    /** {@code items} best first (see the class comment). */
    public List<T> rank(List<T> items) {
        Comparator<T> group = Comparator.comparingInt(this::group);
        return items.stream()
                .sorted(group.thenComparing(item -> usable(item) ? value.apply(item) : null, objective.order())
                        .thenComparingInt(trial))
                .toList();
    }

    /** The best {@code k} usable trials, best first; fewer when fewer are usable. */
    public List<T> top(List<T> items, int k) {
        return rank(items).stream().filter(this::usable).limit(k).toList();
    }

    private int group(T item) {
        if (usable(item)) {
            return 0;
        }
        return status.apply(item) == RunStatus.RUNNING ? 1 : 2;
    }

    /**
     * What a command says when it found fewer usable trials than asked: {@code "found 2 usable trials of 5 asked (3
     * finished or stopped with a value of val_accuracy; 1 failed, ...)"}; {@code null} when there were enough.
     */
    public String shortfall(List<T> items, int asked) {
        long usable = items.stream().filter(this::usable).count();
        if (usable >= asked) {
            return null;
        }
        long unusable = items.size() - usable;
        return "found " + usable + " usable trial(s) of the " + asked + " asked for (a usable trial FINISHED or was"
                + " STOPPED with a finite " + objective.metric() + "; " + unusable + " other trial(s) recorded: failed,"
                + " interrupted, running or without a value)";
    }
}
