package dev.cnnworkbench.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Every statement on {@code artifact_chunks}: the content of artifacts kept in a team's shared database, cut into
 * numbered chunks of at most {@link #CHUNK_BYTES} (1 MiB: small enough that neither a writer nor a reader holds more than
 * one in memory, big enough that a 256 MiB network is 256 rows). Which artifacts get chunks is {@link ArtifactUploads}'
 * decision; reading them back, verified, is {@link ArtifactContent}'s. The chunks go with their artifact row
 * ({@code ON DELETE CASCADE}), so deleting a run deletes its stored files. Thread-safe; every method blocks on JDBC.
 */
public final class ArtifactChunks {

    /** The most bytes one chunk holds (the column's length). */
    public static final int CHUNK_BYTES = 1 << 20;

    /** How much of an artifact the database holds: {@code chunks == 0} when nothing. */
    public record Stored(int chunks, long bytes) {
    }

    private final Database db;

    public ArtifactChunks(Database db) {
        this.db = db;
    }

    /**
     * Replaces the stored content of artifact {@code artifactId} with the bytes of {@code file}, in one transaction,
     * reading the file once, one chunk at a time. When the bytes read do not have the SHA-256 {@code sha256} (the file
     * was rewritten or cut since it was announced), nothing changes and the answer is false.
     *
     * @throws IOException  when the file cannot be read
     * @throws SQLException when the database refuses
     */
    public boolean put(long artifactId, Path file, String sha256) throws IOException, SQLException {
        MessageDigest digest = ArtifactPaths.sha256Digest();
        try (Connection c = db.connection(); InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM artifact_chunks WHERE artifact_id = ?")) {
                    del.setLong(1, artifactId);
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO artifact_chunks (artifact_id, seq, bytes) VALUES (?, ?, ?)")) {
                    byte[] chunk;
                    for (int seq = 0; (chunk = in.readNBytes(CHUNK_BYTES)).length > 0; seq++) {
                        digest.update(chunk);
                        ins.setLong(1, artifactId);
                        ins.setInt(2, seq);
                        ins.setBytes(3, chunk);
                        ins.executeUpdate();
                    }
                }
                if (!HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(sha256)) {
                    c.rollback();
                    return false;
                }
                c.commit();
                return true;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** How many chunks and bytes of artifact {@code artifactId} the database holds. */
    public Stored stored(long artifactId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(bytes)), 0) FROM artifact_chunks WHERE artifact_id = ?")) {
            ps.setLong(1, artifactId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(rs.getInt(1), rs.getLong(2));
            }
        }
    }

    /** The ids of the artifacts of run {@code runId} whose content the database holds. */
    public Set<Long> storedOf(String runId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT a.id FROM artifacts a JOIN artifact_chunks k ON k.artifact_id = a.id WHERE a.run_id = ?")) {
            ps.setString(1, runId);
            Set<Long> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    /** The paths of the artifacts of kind {@code kind} of run {@code runId} whose content the database holds, by id. */
    public Map<Long, String> storedOf(String runId, String kind) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT a.id, a.path FROM artifacts a JOIN artifact_chunks k ON k.artifact_id = a.id"
                        + " WHERE a.run_id = ? AND a.kind = ?")) {
            ps.setString(1, runId);
            ps.setString(2, kind);
            Map<Long, String> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
            return out;
        }
    }

    /** Deletes the stored content of artifact {@code artifactId} (its index row stays); the chunks deleted. */
    public int delete(long artifactId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM artifact_chunks WHERE artifact_id = ?")) {
            ps.setLong(1, artifactId);
            return ps.executeUpdate();
        }
    }

    /**
     * Chunk {@code seq} (from 0) of artifact {@code artifactId}.
     *
     * @throws SQLException when there is no such chunk (state {@code 02000}) or the database refuses
     */
    public byte[] chunk(long artifactId, int seq) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT bytes FROM artifact_chunks WHERE artifact_id = ? AND seq = ?")) {
            ps.setLong(1, artifactId);
            ps.setInt(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("chunk " + seq + " of artifact " + artifactId + " is not in the database",
                            "02000");
                }
                return rs.getBytes(1);
            }
        }
    }

    /** The id of the artifact indexed at {@code path}; -1 when there is none. */
    public long idOf(String path) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM artifacts WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** How many chunks the database holds, of every artifact together. */
    public long chunkRows() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM artifact_chunks");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
