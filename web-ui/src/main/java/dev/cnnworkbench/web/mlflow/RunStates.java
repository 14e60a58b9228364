package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.storage.mlflow.MlflowRuns;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recently seen runs' states, so that a stream of log-metric calls checks its run without a query per call. An entry
 * lives {@link #TTL_MILLIS} ms (a run deleted by another route or process is noticed within that), and this server's
 * own changes (delete, restore, end) drop it at once. Thread-safe.
 */
final class RunStates {

    static final long TTL_MILLIS = 2_000;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(MlflowRuns.RunState state, long at) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final MlflowRuns runs;
    private final WorkerExecutor blocking;

    RunStates(MlflowRuns runs, WorkerExecutor blocking) {
        this.runs = runs;
        this.blocking = blocking;
    }

    /** The run's state, from the cache when fresh; fails RESOURCE_DOES_NOT_EXIST when there is no such run. */
    Future<MlflowRuns.RunState> get(String runId) {
        Entry e = entries.get(runId);
        long now = System.currentTimeMillis();
        if (e != null && now - e.at() < TTL_MILLIS) {
            return Future.succeededFuture(e.state());
        }
        return blocking.executeBlocking(() -> runs.state(runId), false).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(MlflowException.missing("Run", runId));
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(runId, new Entry(found.get(), now));
            return Future.succeededFuture(found.get());
        });
    }

    void forget(String runId) {
        entries.remove(runId);
    }
}
