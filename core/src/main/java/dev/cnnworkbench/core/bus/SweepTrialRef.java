package dev.cnnworkbench.core.bus;

import java.util.Objects;

/**
 * Which sweep a run is a trial of, carried by its {@link RunStarted}: the store links the run to the sweep by this,
 * never by the run's name (so renaming a trial keeps it in its sweep).
 *
 * @param sweepId the sweep's id (as in {@link SweepDefined#sweepId()})
 * @param trial   the trial's number, 1-based
 */
public record SweepTrialRef(String sweepId, int trial) {

    public SweepTrialRef {
        Objects.requireNonNull(sweepId, "sweepId");
        if (trial < 1) {
            throw new IllegalArgumentException("trial numbers start at 1, got " + trial);
        }
    }
}
