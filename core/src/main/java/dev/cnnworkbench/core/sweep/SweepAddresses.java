package dev.cnnworkbench.core.sweep;

/**
 * The event-bus addresses of sweeps, in one place. Both are commands (request/reply), so a trial can run on any
 * machine of a clustered bus with no change to the sweep logic.
 */
public final class SweepAddresses {

    /**
     * Command, body {@link TrialRequest}: train one trial to its end. Answered by the hub's work queue, once a worker
     * has trained it, with a {@link TrialOutcome} (a failed trial is an outcome too); a failure reply means no trial ran.
     */
    public static final String TRIAL_RUN = "workbench.sweep.trial.run";

    private static final String RUNG = "workbench.sweep.rung.";

    private SweepAddresses() {
    }

    /**
     * Command, body {@link RungReport}: a trial of sweep {@code sweepId} reached an ASHA rung; the sweep's
     * {@link SweepCoordinator} answers with a {@link RungDecision}. One address per sweep, so concurrent sweeps on one
     * bus keep their rungs apart.
     */
    public static String rung(String sweepId) {
        return RUNG + sweepId;
    }
}
