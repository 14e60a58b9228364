package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the web reads from the run store, in one place, so that a change of the store's query
 * API (filters, paging, downsampled histories) touches this class only. Every method blocks on
 * JDBC: call it from a worker thread, never from an event loop. Thread-safe.
 */
public final class RunStore {

    /** One run with its resolved spec and provenance, both JSON text as recorded. */
    public record RunDetail(RunSummary summary, String specJson, String provenanceJson) {
    }

    private final RunQueries queries;

    public RunStore(RunQueries queries) {
        this.queries = queries;
    }

    /** Every run, newest first. */
    public List<RunSummary> runs() {
        return queries.listRuns();
    }

    /** One run with its spec and provenance; empty if there is no such run. */
    public Optional<RunDetail> run(String id) {
        return queries.run(id).map(summary -> {
            Map<String, String> sp = queries.specAndProvenance(id);
            return new RunDetail(summary, sp.get("spec"), sp.get("provenance"));
        });
    }

    /** Those of {@code ids} that name no run, in the order given. */
    public List<String> missing(Collection<String> ids) {
        Set<String> known = queries.listRuns().stream().map(RunSummary::id).collect(Collectors.toSet());
        return ids.stream().filter(id -> !known.contains(id)).toList();
    }

    /** One metric of one run in step order, reduced to at most {@code maxPoints} points (first and last kept). */
    public List<MetricPoint> history(String runId, String metric, int maxPoints) {
        return Downsample.lttb(queries.history(runId, metric), maxPoints);
    }
}
