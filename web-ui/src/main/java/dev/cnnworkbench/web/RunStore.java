package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.ArtifactContent;
import dev.cnnworkbench.storage.ArtifactPaths;
import dev.cnnworkbench.storage.HistoryQuery;
import dev.cnnworkbench.storage.MetricHistory;
import dev.cnnworkbench.storage.RunGroup;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.storage.StoredWarning;
import dev.cnnworkbench.web.api.Downsample;
import dev.cnnworkbench.web.api.RunApi;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the web reads from the run store, in one place, so that a change of the store's query
 * API (filters, paging, downsampled histories) touches this class only. That includes the artifact files, which lie
 * under the home's {@code artifacts/} folder and are indexed in the database. Every method blocks on JDBC or the
 * file system: call it from a worker thread, never from an event loop. Thread-safe.
 */
public final class RunStore {

    /**
     * One run with its resolved spec and provenance (both JSON text as recorded), its warnings in the order raised
     * and its artifacts by step.
     */
    public record RunDetail(RunSummary summary, String specJson, String provenanceJson, List<StoredWarning> warnings,
                            List<StoredArtifact> artifacts) {

        public RunDetail {
            warnings = List.copyOf(warnings);
            artifacts = List.copyOf(artifacts);
        }
    }

    /** Most runs a query of the web reads at once (a sweep's trials, the ensembles). */
    static final int MAX_RUNS = 100_000;

    private final RunQueries queries;
    private final Path artifactsRoot;
    private final ArtifactContent content;
    private final RunWriter writer;

    /** A read-only store whose artifacts are indexed but whose files this process cannot serve. */
    public RunStore(RunQueries queries) {
        this(queries, null);
    }

    /** A read-only store. @param artifactsRoot the home's {@code artifacts/} folder, the only place artifact files are read from */
    public RunStore(RunQueries queries, Path artifactsRoot) {
        this(queries, artifactsRoot, null);
    }

    /**
     * @param artifactsRoot the home's {@code artifacts/} folder, the only place artifact files are read from
     * @param writer        changes a run's tags and notes; {@code null}: read-only (those edits are refused)
     */
    public RunStore(RunQueries queries, Path artifactsRoot, RunWriter writer) {
        this.queries = queries;
        this.artifactsRoot = artifactsRoot == null ? null : artifactsRoot.toAbsolutePath().normalize();
        this.content = new ArtifactContent(this.artifactsRoot, queries.database());
        this.writer = writer;
    }

    /** The sweep records. */
    public dev.cnnworkbench.storage.SweepStore sweeps() {
        return queries.sweeps();
    }

    /** The ensemble records. */
    public dev.cnnworkbench.storage.EnsembleStore ensembles() {
        return queries.ensembles();
    }

    /**
     * One page of the runs matching a query, sorted, with the total.
     *
     * @throws dev.cnnworkbench.storage.FilterException when the filter or sort key does not parse
     */
    public RunPage find(RunQuery query) {
        return queries.find(query);
    }

    /**
     * The runs matching {@code filter} counted by experiment and sweep, most recently active first.
     *
     * @throws dev.cnnworkbench.storage.FilterException when the filter does not parse
     */
    public List<RunGroup> groups(String filter) {
        return queries.groups(filter);
    }

    /** Every run matching {@code filter} (at most {@link #MAX_RUNS}), oldest first. */
    public List<RunSummary> all(String filter) {
        return queries.find(new RunQuery(filter, RunQuery.DEFAULT_SORT, false, 0, MAX_RUNS)).runs();
    }

    /** One run with its spec and provenance; empty if there is no such run. */
    public Optional<RunDetail> run(String id) {
        return queries.run(id).map(summary -> {
            Map<String, String> sp = queries.specAndProvenance(id);
            return new RunDetail(summary, sp.get("spec"), sp.get("provenance"), queries.warnings(id), queries.artifacts(id));
        });
    }

    /** Those of {@code ids} (each a valid run id, see {@link RunApi#runId}) that name no run, in the order given. */
    public List<String> missing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Set<String> known = all(idIn(ids)).stream().map(RunSummary::id).collect(Collectors.toSet());
        return ids.stream().filter(id -> !known.contains(id)).toList();
    }

    /** A filter for runs with these ids; the ids must be valid run ids (no quotes). */
    static String idIn(Collection<String> ids) {
        return "id in (" + ids.stream().map(id -> "'" + RunApi.runId(id) + "'").collect(Collectors.joining(", ")) + ")";
    }

    /** A run's spec as recorded (JSON text); empty when there is no such run. */
    public Optional<String> spec(String runId) {
        return Optional.ofNullable(queries.specAndProvenance(runId).get("spec"));
    }

    /** A run's artifacts by step. */
    public List<StoredArtifact> artifacts(String runId) {
        return queries.artifacts(runId);
    }

    /** One metric of one run, every point, in step order. */
    public List<MetricPoint> fullHistory(String runId, String metric) {
        return queries.history(runId, metric);
    }

    /** One metric of several runs, each at most {@code maxPoints} points (min and max of each bucket of steps). */
    public List<MetricHistory> histories(List<String> runIds, String metric, int maxPoints) {
        return queries.histories(new HistoryQuery(runIds, metric, maxPoints));
    }

    /**
     * The database this store writes to, for the MLflow tracking API ({@code dev.cnnworkbench.web.mlflow});
     * fails when the store is read-only.
     */
    public dev.cnnworkbench.storage.Database database() {
        return requireWriter().database();
    }

    /** Whether tags and notes can be changed through this store. */
    public boolean writable() {
        return writer != null;
    }

    /**
     * Adds tags to a run; the run as it is now, empty when there is no such run.
     *
     * @throws IllegalArgumentException naming an invalid tag
     */
    public Optional<RunSummary> addTags(String runId, List<String> tags) {
        return write(() -> requireWriter().addTags(runId, tags), runId);
    }

    /** Removes tags from a run; the run as it is now, empty when there is no such run. */
    public Optional<RunSummary> removeTags(String runId, List<String> tags) {
        return write(() -> requireWriter().removeTags(runId, tags) >= 0, runId);
    }

    /** Replaces a run's notes (blank: none); the run as it is now, empty when there is no such run. */
    public Optional<RunSummary> setNotes(String runId, String notes) {
        return write(() -> requireWriter().setNotes(runId, notes), runId);
    }

    private interface Change {
        boolean apply() throws SQLException;
    }

    private Optional<RunSummary> write(Change change, String runId) {
        try {
            return change.apply() ? queries.run(runId) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change run " + runId + ": " + e.getMessage(), e);
        }
    }

    private RunWriter requireWriter() {
        if (writer == null) {
            throw new IllegalStateException("this store is read-only");
        }
        return writer;
    }

    /**
     * One metric of several runs (read in one go), each in step order reduced to at most {@code maxPoints} points
     * (first and last kept); in the order of {@code runIds}, empty for a run without it. A long series is read from
     * the store's min/max rollups (spikes kept), not point by point, so a grid of panels over many long runs reads
     * a few thousand values per curve rather than every point.
     */
    public List<List<MetricPoint>> overlay(List<String> runIds, String metric, int maxPoints) {
        return overlay(runIds, metric, maxPoints, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** As {@link #overlay(List, String, int)}, over the steps from {@code fromStep} to {@code toStep} (inclusive) only. */
    public List<List<MetricPoint>> overlay(List<String> runIds, String metric, int maxPoints, long fromStep, long toStep) {
        return queries.histories(new HistoryQuery(runIds, metric, Math.max(2, maxPoints), fromStep, toStep)).stream()
                .map(h -> Downsample.lttb(h.points(), maxPoints)).toList();
    }

    /** One metric of one run in step order, reduced to at most {@code maxPoints} points (first and last kept). */
    public List<MetricPoint> history(String runId, String metric, int maxPoints) {
        return Downsample.lttb(queries.history(runId, metric), maxPoints);
    }

    /** One artifact's index entry; empty if there is none with that id. */
    public Optional<StoredArtifact> artifact(long id) {
        return queries.artifact(id);
    }

    /**
     * The file of an artifact, found under the artifacts folder only (see {@link ArtifactPaths#file}); empty when
     * it is missing or this store has no artifacts folder.
     *
     * @throws SecurityException when its indexed path leads out of the artifacts folder
     */
    public Optional<Path> artifactFile(StoredArtifact artifact) throws IOException {
        return artifactsRoot == null ? Optional.empty() : ArtifactPaths.file(artifactsRoot, artifact.path());
    }

    /**
     * Where artifacts' bytes are read from: this server's artifacts folder and, over a team's shared database, the
     * database ({@link ArtifactContent}, which verifies both).
     */
    public ArtifactContent content() {
        return content;
    }

    /**
     * The artifact folder of run {@code id} ({@code artifacts/ID/} of this store's folder), whether or not it exists;
     * empty when this store has no artifacts folder. {@code id} must be a valid run id (no separators).
     */
    public Optional<Path> runArtifactDir(String id) {
        if (artifactsRoot == null || id.contains("/") || id.contains("\\") || id.startsWith(".")) {
            return Optional.empty();
        }
        return Optional.of(artifactsRoot.resolve(id));
    }
}
