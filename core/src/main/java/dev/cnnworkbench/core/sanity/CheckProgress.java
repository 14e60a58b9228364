package dev.cnnworkbench.core.sanity;

/**
 * What a person running the sanity checks sees. Called on the checking thread, in order: {@link #checkStarted}, any
 * number of {@link #step}s, {@link #checkDone}, for each check. Implementations must be cheap. All methods default to
 * doing nothing.
 */
public interface CheckProgress {

    CheckProgress NONE = new CheckProgress() { };

    /** Check {@code index} (1-based) of {@code count} begins. */
    default void checkStarted(int index, int count, SanityCheck check) {
    }

    /** The running check has done {@code done} of {@code total} units of work (epochs, rates, parameters). */
    default void step(int done, int total, String note) {
    }

    default void checkDone(CheckResult result) {
    }
}
