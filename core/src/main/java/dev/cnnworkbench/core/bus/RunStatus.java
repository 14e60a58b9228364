package dev.cnnworkbench.core.bus;

/** Where a run is in its life. Only {@link #RUNNING} is not final. */
public enum RunStatus {
    /** Training; its process is alive (or was, until the next start checks). */
    RUNNING,
    /** Trained and evaluated to the end. */
    FINISHED,
    /** Ended by an error; the run's error message says which. */
    FAILED,
    /** Its process died or was stopped before it could record an end. */
    INTERRUPTED,
    /** Ended early on purpose by a stopping rule (divergence, early termination); the reason is recorded. */
    STOPPED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
