package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.ArtifactPaths;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.storage.StoredWarning;
import java.io.IOException;
import java.nio.file.Path;
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

    private final RunQueries queries;
    private final Path artifactsRoot;

    /** A store whose artifacts are indexed but whose files this process cannot serve. */
    public RunStore(RunQueries queries) {
        this(queries, null);
    }

    /** @param artifactsRoot the home's {@code artifacts/} folder, the only place artifact files are read from */
    public RunStore(RunQueries queries, Path artifactsRoot) {
        this.queries = queries;
        this.artifactsRoot = artifactsRoot == null ? null : artifactsRoot.toAbsolutePath().normalize();
    }

    /** Every run, newest first. */
    public List<RunSummary> runs() {
        return queries.listRuns();
    }

    /** One run with its spec and provenance; empty if there is no such run. */
    public Optional<RunDetail> run(String id) {
        return queries.run(id).map(summary -> {
            Map<String, String> sp = queries.specAndProvenance(id);
            return new RunDetail(summary, sp.get("spec"), sp.get("provenance"), queries.warnings(id), queries.artifacts(id));
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
}
