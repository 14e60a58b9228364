package dev.cnnworkbench.core.sweep;

import java.util.List;

/**
 * One job the hub's queue hands a worker ({@link WorkAddresses#worker}): train one run into the hub's store.
 *
 * @param jobId    the job, stable across the workers it is handed to
 * @param runId    the run it trains; fixed by the hub, so a job handed again continues the same run
 * @param user     who the run is attributed to
 * @param specJson the run's complete spec
 * @param trial    the sweep trial this run is (its stop rules come from it), or {@code null} for a run of no sweep
 * @param attempt  1 for the first worker, 2 for the next after that one was lost, ...
 * @param files    the run's files the worker fetches from the hub before it trains ({@link WorkAddresses#FILE_GET}):
 *                 empty for a new run; for a run a lost worker was training, its newest epoch checkpoint (which it
 *                 resumes from), the best epoch's network and its snapshots
 */
public record WorkJob(String jobId, String runId, String user, String specJson, TrialRequest trial, int attempt,
                      List<String> files) {

    public WorkJob {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** Whether this job continues a run from a checkpoint among its {@link #files}. */
    public boolean resumes() {
        return files.stream().anyMatch(dev.cnnworkbench.core.artifact.RunArtifacts::isCheckpoint);
    }

    /** The same job for its next worker, continuing {@code runId} from {@code files}. */
    public WorkJob handedOn(String runId, List<String> files) {
        return new WorkJob(jobId, runId, user, specJson, trial, attempt + 1, files);
    }
}
