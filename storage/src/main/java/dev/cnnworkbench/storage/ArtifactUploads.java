package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.core.env.Host;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a process that records into a team's shared database: copies the file of each artifact it indexes into the
 * database ({@link ArtifactChunks}), so that every member's {@code serve}, {@code ensemble}, {@code resume} and transfer
 * learning read it, and deleting the run deletes it, wherever the run was trained. Why the database and not a file
 * server: it is the one thing every member already reaches, with its password, its TLS and its backups; a run's
 * content goes and comes with its index row in one place, and no second service has to run.
 *
 * <p>A file over {@link #maxBytes} (by default {@value #DEFAULT_MAX_MIB} MiB, {@value #ENV} to change) is not copied:
 * it stays on the trainer's machine only, and the run gets a warning saying so. A file gone or rewritten since it was
 * announced (an old checkpoint deleted, a {@code best.zip} replaced) is skipped: its next announcement carries it.
 * Checkpoints the trainer has deleted since they were stored (it keeps only the newest few) are deleted from the
 * database when the next one is stored.
 * Called by the storage verticle's thread, in the order of the run's events, so a run's files are stored before its end
 * is recorded, and a flush waits for them.
 */
public final class ArtifactUploads {

    /** The environment variable that sets the cap, in MiB. */
    public static final String ENV = "WORKBENCH_ARTIFACT_MAX_MB";
    public static final int DEFAULT_MAX_MIB = 256;
    /** The largest cap one may set: H2 keeps a file in one transaction. */
    public static final int MAX_MIB = 4096;
    /** The kind of epoch checkpoints (and of {@code best.zip}, which is rewritten, never deleted). */
    private static final String CHECKPOINT = "checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactUploads.class);

    private final ArtifactChunks chunks;
    private final RunWriter writer;
    private final Path root;
    private final long maxBytes;

    private ArtifactUploads(Database db, Path artifactsRoot, long maxBytes) {
        this.chunks = new ArtifactChunks(db);
        this.writer = new RunWriter(db);
        this.root = artifactsRoot.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /**
     * The uploads of a process whose artifacts lie under {@code artifactsRoot}, when {@code db} is a team's
     * {@linkplain Database#isServer server}; empty for an embedded database, whose files stay on this disk.
     */
    public static Optional<ArtifactUploads> forDatabase(Database db, Path artifactsRoot, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the artifact size cap must be >= 1 byte, got " + maxBytes);
        }
        return db.isServer() ? Optional.of(new ArtifactUploads(db, artifactsRoot, maxBytes)) : Optional.empty();
    }

    /**
     * The cap that {@code env} sets with {@value #ENV} (whole MiB, 1 to {@value #MAX_MIB}), in bytes.
     *
     * @throws IllegalArgumentException naming the variable and the value when it is not such a number
     */
    public static long maxBytes(Map<String, String> env) {
        String raw = env.get(ENV);
        if (raw == null || raw.isBlank()) {
            return (long) DEFAULT_MAX_MIB << 20;
        }
        try {
            int mib = Integer.parseInt(raw.trim());
            if (mib >= 1 && mib <= MAX_MIB) {
                return (long) mib << 20;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(ENV + " must be a whole number of MiB from 1 to " + MAX_MIB + ", got '"
                + raw + "'");
    }

    /** The cap, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Deletes the stored content of the run's checkpoints whose files the trainer has deleted from this home (it keeps
     * only the newest few), so the database keeps what the trainer keeps, not every epoch's network.
     */
    private void pruneCheckpoints(String runId) throws SQLException {
        for (Map.Entry<Long, String> stored : chunks.storedOf(runId, CHECKPOINT).entrySet()) {
            try {
                if (ArtifactPaths.file(root, stored.getValue()).isEmpty()) {
                    chunks.delete(stored.getKey());
                    LOG.debug("run {}: checkpoint {} deleted from this home, so from the team database", runId,
                            stored.getValue());
                }
            } catch (IOException | SecurityException e) {
                LOG.debug("run {}: checkpoint {} kept in the team database: {}", runId, stored.getValue(), e.getMessage());
            }
        }
    }

    /**
     * Copies the file of {@code artifact}, already indexed, into the database, or warns on its run why not.
     *
     * @throws SQLException when the database refuses (the storage verticle retries)
     */
    public void store(RunArtifact artifact) throws SQLException {
        Optional<Path> file;
        try {
            file = ArtifactPaths.file(root, artifact.path());
        } catch (IOException | SecurityException e) {
            LOG.warn("artifact {} of run {} not stored in the team database: {}", artifact.path(), artifact.runId(),
                    e.getMessage());
            return;
        }
        if (file.isEmpty()) {
            LOG.debug("artifact {} of run {} is gone from {}; not stored", artifact.path(), artifact.runId(), root);
            return;
        }
        if (artifact.sizeBytes() > maxBytes) {
            writer.insertWarning(new RunWarning(artifact.runId(), "artifact", artifact.step(), String.format(Locale.ROOT,
                    "%s (%.1f MiB) is over the team database's cap of %d MiB (%s): it stays on %s only, where other"
                            + " members cannot read it", artifact.path(), artifact.sizeBytes() / 1048576.0, maxBytes >> 20,
                    ENV, Host.name()), System.currentTimeMillis()));
            return;
        }
        long id = chunks.idOf(artifact.path());
        if (id < 0) {
            return; // its run is gone
        }
        try {
            if (!chunks.put(id, file.get(), artifact.sha256())) {
                LOG.debug("artifact {} of run {} was rewritten since it was announced; its next announcement stores it",
                        artifact.path(), artifact.runId());
            } else if (CHECKPOINT.equals(artifact.kind())) {
                pruneCheckpoints(artifact.runId());
            }
        } catch (IOException e) {
            LOG.warn("artifact {} of run {} not stored in the team database: cannot read {}: {}", artifact.path(),
                    artifact.runId(), file.get(), e.getMessage());
        }
    }
}
