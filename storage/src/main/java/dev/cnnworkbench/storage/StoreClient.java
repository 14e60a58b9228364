package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command reads from (and the few things it writes directly into) a home's store, wherever the store is: in
 * this process ({@link DirectStoreClient}, over an open {@link Database}) or in the home's hub
 * ({@link BusStoreClient}, by request/reply over the clustered event bus, answered by {@link StoreService}). Run
 * events (starts, metrics, ends) never go through here: they are published on the bus.
 *
 * <p>Errors: a bad filter or sort key is a {@link FilterException} (checked before anything is sent); a store that
 * cannot answer is a {@link StorageException} naming it.
 */
public interface StoreClient {

    /** The runs matching {@code query}'s filter, sorted and paged, with the total count. */
    RunPage find(RunQuery query);

    /** Whether any run has a value for the sort key {@code key} (a column, params.PATH or metrics.NAME). */
    boolean anyRunHas(String key);

    /** One run by id. */
    Optional<RunSummary> run(String id);

    /** The recorded spec ({@code "spec"}) and provenance ({@code "provenance"}) of a run, as JSON; empty when there is no such run. */
    Map<String, String> specAndProvenance(String runId);

    /** Every point of one metric of one run, by step. */
    List<MetricPoint> history(String runId, String metric);

    /** The runs recorded as trials of sweep {@code sweepId}, every attempt, oldest first. */
    List<SweepStore.TrialRun> trialRuns(String sweepId);

    /** Stores a check session's results, all or nothing. */
    void writeChecks(ChecksRecorded checks);

    /** Where the store is, for people: a database URL, or the hub that owns it. */
    String where();

    /** The database when it is open in this process (for its team-file copies); empty when the hub holds it. */
    default Optional<Database> database() {
        return Optional.empty();
    }
}
