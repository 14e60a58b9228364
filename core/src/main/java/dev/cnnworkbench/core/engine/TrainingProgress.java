package dev.cnnworkbench.core.engine;

import java.util.Map;

/**
 * What a person watching a training run sees (a terminal progress bar, a log). Every method is called
 * on the training thread, in order; implementations must be cheap. All methods default to doing
 * nothing.
 */
public interface TrainingProgress {

    TrainingProgress NONE = new TrainingProgress() { };

    /**
     * The run's start is published and the store acknowledged it (or holds it while the database is away): from now
     * the run can be looked up. Called once per run, before the first epoch; not called for a run that is refused.
     */
    default void recorded() {
    }

    /** Epoch {@code epoch} (0-based) of {@code epochs} begins; it has {@code batches} mini-batches. */
    default void epochStarted(int epoch, int epochs, int batches) {
    }

    /** Mini-batch {@code batch} (1-based within the epoch) is done. */
    default void batchDone(int batch, double loss, double examplesPerSecond) {
    }

    /** The epoch is over; {@code metrics} holds its epoch-level values (validation, throughput). */
    default void epochEnded(int epoch, Map<String, Double> metrics) {
    }

    /** A step outside the epochs begins, e.g. {@code "evaluating on the test set"}. */
    default void phase(String description) {
    }
}
