package dev.cnnworkbench.core.bus;

import java.util.Map;

/**
 * A run began, or an interrupted run continues ({@code workbench resume}).
 *
 * @param runId      unique id of the run
 * @param name       the run's name (from the spec)
 * @param experiment the experiment it belongs to
 * @param specJson   the fully resolved spec, defaults included
 * @param params     the spec flattened to dotted names ({@code optimizer.lr}); values are Number, String or Boolean
 * @param provenance where it came from: versions, backend, machine, git commit, plugin versions
 * @param startedAt  epoch milliseconds
 * @param pid        the training process, so a later start can tell a dead run from a live one
 * @param host       the machine the process runs on
 * @param user       who started it
 * @param resumedAfterEpoch 0 for a new run; {@code k > 0} when the run, already recorded and {@code INTERRUPTED},
 *                   continues from its checkpoint after epoch {@code k} in process {@code pid} (its spec, params
 *                   and start time are then those already recorded; {@code startedAt} is when it resumed)
 * @param sweepTrial the sweep and trial number this run is a trial of; {@code null} for a run of no sweep (and in
 *                   starts encoded before sweeps were records)
 */
public record RunStarted(String runId, String name, String experiment, String specJson, Map<String, Object> params,
                         Map<String, String> provenance, long startedAt, long pid, String host, String user,
                         int resumedAfterEpoch, SweepTrialRef sweepTrial) {

    /**
     * Provenance key of a run that trains a job of a hub's work queue (value: the job's id). Such a run is the
     * queue's to end when its worker is lost: the queue hears the worker's heartbeats and records where the run
     * continues, so no one else ends it for its process being gone.
     */
    public static final String WORK_JOB = "work.job";

    public RunStarted {
        params = Map.copyOf(params);
        provenance = Map.copyOf(provenance);
    }

    /** A run of no sweep, new or resumed. */
    public RunStarted(String runId, String name, String experiment, String specJson, Map<String, Object> params,
                      Map<String, String> provenance, long startedAt, long pid, String host, String user,
                      int resumedAfterEpoch) {
        this(runId, name, experiment, specJson, params, provenance, startedAt, pid, host, user, resumedAfterEpoch, null);
    }

    /** A new run of no sweep. */
    public RunStarted(String runId, String name, String experiment, String specJson, Map<String, Object> params,
                      Map<String, String> provenance, long startedAt, long pid, String host, String user) {
        this(runId, name, experiment, specJson, params, provenance, startedAt, pid, host, user, 0, null);
    }

    /** Whether this run trains a job a hub's work queue handed out ({@link #WORK_JOB}). */
    public boolean workJob() {
        return provenance.containsKey(WORK_JOB);
    }

    /** Whether this continues an interrupted run rather than starting one. */
    public boolean resumed() {
        return resumedAfterEpoch > 0;
    }
}
