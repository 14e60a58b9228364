package dev.cnnworkbench.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that gives an artifact's bytes, wherever they are: in this machine's artifacts folder (found with
 * {@link ArtifactPaths#file}, then checked with {@link ArtifactPaths#checkIndexed}: indexed size and SHA-256), or, in a
 * team's shared database ({@link Database#isServer}), in {@link ArtifactChunks}, whose reassembled bytes are checked
 * against the same size and SHA-256 before the last chunk is handed out. A verified local file wins; a local file that
 * is not the indexed one gives way to the database's copy when there is one (it is a stale copy, e.g. of a
 * {@code best.zip} rewritten since), and is refused ({@link SecurityException}) when there is none.
 *
 * <p>Readers: the web's {@code GET /api/artifacts/ID} streams {@link Stored} content chunk by chunk ({@link #reader});
 * the command line's {@code ensemble}, {@code resume} and transfer learning {@link #materialise} a member's network
 * into this home's artifacts folder, at the same relative path, before loading it. Thread-safe; every method blocks
 * (file reads, JDBC): call it from a worker thread.
 */
public final class ArtifactContent {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactContent.class);

    /** Where an artifact's bytes are. */
    public sealed interface Source permits Local, Stored, Missing {
    }

    /** In this machine's artifacts folder, verified. */
    public record Local(Path file) implements Source {
    }

    /** In the team database, {@code chunks} chunks whose sizes add up to the indexed size. */
    public record Stored(StoredArtifact artifact, int chunks) implements Source {
    }

    /** Nowhere this process can read; {@code reason} says why, for people. */
    public record Missing(String reason) implements Source {
    }

    private final Path root;
    private final ArtifactChunks chunks;

    /**
     * @param artifactsRoot this home's {@code artifacts/} folder; {@code null} when this process reads no files
     * @param db            the database; its chunks are read only when it is a {@linkplain Database#isServer server}
     *                      ({@code null}: none)
     */
    public ArtifactContent(Path artifactsRoot, Database db) {
        this.root = artifactsRoot == null ? null : artifactsRoot.toAbsolutePath().normalize();
        this.chunks = db != null && db.isServer() ? new ArtifactChunks(db) : null;
    }

    /**
     * Where the bytes of {@code artifact} are.
     *
     * @throws SecurityException when its path leads out of the artifacts folder, or its local file is not the one
     *                           indexed and the database has no copy, or the database's copy has another size
     * @throws IOException       when the local file cannot be read
     * @throws StorageException  when the database cannot be read
     */
    public Source locate(StoredArtifact artifact) throws IOException {
        Optional<Path> file = root == null ? Optional.empty() : ArtifactPaths.file(root, artifact.path());
        SecurityException stale = null;
        if (file.isPresent()) {
            try {
                ArtifactPaths.checkIndexed(file.get(), artifact);
                return new Local(file.get());
            } catch (SecurityException e) {
                stale = e;
            }
        }
        if (chunks != null) {
            ArtifactChunks.Stored stored = stored(artifact);
            if (stored.chunks() > 0 && stored.bytes() == artifact.sizeBytes()) {
                if (stale != null) {
                    LOG.info("artifact {}: the local file is not the indexed one ({}); reading the team database's copy",
                            artifact.id(), stale.getMessage());
                }
                return new Stored(artifact, stored.chunks());
            }
            if (stored.chunks() > 0) { // a changed copy, or one being rewritten: nothing to hand out either way
                throw new SecurityException("the stored content of artifact " + artifact.id() + " has " + stored.bytes()
                        + " bytes, not the " + artifact.sizeBytes() + " indexed");
            }
        }
        if (stale != null) {
            throw stale;
        }
        return new Missing(chunks == null
                ? "the file of artifact " + artifact.id() + " is not in this server's artifacts folder"
                : "the file of artifact " + artifact.id() + " (" + artifact.path() + ") is neither in this machine's"
                        + " artifacts folder nor in the team database: it stays on the machine that trained run "
                        + artifact.runId() + " (a file over the team database's size cap is not stored there; see the"
                        + " run's warnings)");
    }

    private ArtifactChunks.Stored stored(StoredArtifact artifact) {
        try {
            return chunks.stored(artifact.id());
        } catch (SQLException e) {
            throw new StorageException("cannot read the stored content of artifact " + artifact.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads {@code stored} back one chunk at a time. */
    public ChunkReader reader(Stored stored) {
        return new ChunkReader(chunks, stored);
    }

    /**
     * The local file of {@code artifact} in this home's artifacts folder: the one there when it is the indexed one,
     * else the team database's copy written there first (to a {@code .partial} file, verified, then moved into place).
     *
     * @throws NoSuchFileException naming the reason when neither this machine nor the database has it
     * @throws SecurityException   as {@link #locate}, or when the database's copy is not the indexed content
     * @throws IOException         when the file cannot be written
     * @throws StorageException    when the database cannot be read
     */
    public Path materialise(StoredArtifact artifact) throws IOException {
        if (root == null) {
            throw new IllegalStateException("this process has no artifacts folder to write into");
        }
        Source source = locate(artifact);
        if (source instanceof Local local) {
            return local.file();
        }
        if (source instanceof Missing missing) {
            throw new NoSuchFileException(root.resolve(artifact.path()).toString(), null, missing.reason());
        }
        Path file = root.resolve(artifact.path()).normalize();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(partial)) {
            ChunkReader reader = reader((Stored) source);
            for (byte[] chunk; (chunk = reader.next()) != null; ) {
                out.write(chunk);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("copied artifact {} ({}, {} bytes) from the team database to {}", artifact.id(), artifact.path(),
                artifact.sizeBytes(), file);
        return file;
    }

    /**
     * The chunks of one stored artifact, in order. The last chunk is handed out only after the whole content has
     * been found to have the indexed size and SHA-256, so a reader that stops at a {@link SecurityException} has
     * never had all of a corrupt file. One reader per transfer; not thread-safe, but it holds no connection
     * between calls, so its calls may come from different threads one after the other.
     */
    public static final class ChunkReader {

        private final ArtifactChunks chunks;
        private final StoredArtifact artifact;
        private final int count;
        private final MessageDigest digest = ArtifactPaths.sha256Digest();
        private int seq;
        private long bytes;

        private ChunkReader(ArtifactChunks chunks, Stored stored) {
            this.chunks = chunks;
            this.artifact = stored.artifact();
            this.count = stored.chunks();
        }

        /** The artifact being read. */
        public StoredArtifact artifact() {
            return artifact;
        }

        /**
         * The next chunk; {@code null} after the last.
         *
         * @throws SecurityException when the content read is not the indexed one (size or SHA-256)
         * @throws StorageException  when the database cannot be read
         */
        public byte[] next() {
            if (seq >= count) {
                return null;
            }
            byte[] chunk;
            try {
                chunk = chunks.chunk(artifact.id(), seq);
            } catch (SQLException e) {
                throw new StorageException("cannot read chunk " + seq + " of artifact " + artifact.id() + ": "
                        + e.getMessage(), e);
            }
            seq++;
            bytes += chunk.length;
            digest.update(chunk);
            if (seq == count) {
                if (bytes != artifact.sizeBytes()) {
                    throw new SecurityException("the stored content of artifact " + artifact.id() + " has " + bytes
                            + " bytes, not the " + artifact.sizeBytes() + " indexed");
                }
                if (!HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(artifact.sha256())) {
                    throw new SecurityException("the stored content of artifact " + artifact.id()
                            + " does not have the indexed SHA-256");
                }
            }
            return chunk;
        }
    }
}
