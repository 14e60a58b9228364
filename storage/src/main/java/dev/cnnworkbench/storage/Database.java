package dev.cnnworkbench.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The run store's H2 database: opened once per process, migrated to the current schema on open.
 * Hands out pooled connections; thread-safe. Close it when the process is done with the store.
 *
 * <p>Durability: the embedded URL sets {@code WRITE_DELAY=0}, so each commit is written to the database
 * file when {@code commit()} returns (H2's default keeps commits in memory for up to 500 ms). That
 * survives the process being killed (kill -9): what was committed is in the operating system's hands.
 * H2 does not fsync each commit, so a power cut or a kernel crash can still lose the last commits.
 * The writer commits once per batch, so this costs one file write per batch, not per point.
 */
public final class Database implements AutoCloseable {

    private static final String EMBEDDED_OPTIONS = ";WRITE_DELAY=0";
    private static final int MAX_CONNECTIONS = 8;

    private final String url;
    private final JdbcConnectionPool pool;

    /** An MVStore file starts with this header, repeated in its second 4 KiB block. */
    private static final String H2_HEADER = "H:2,";
    private static final int HEADER_BLOCK = 4096;

    private Database(String url, String opened, String user, String password) {
        this.url = url;
        this.pool = JdbcConnectionPool.create(opened, user, password);
        this.pool.setMaxConnections(MAX_CONNECTIONS);
    }

    /** The embedded database file of a workbench home folder ({@code HOME/db/workbench.mv.db}). */
    public static String embeddedUrl(Path home) {
        return "jdbc:h2:file:" + home.toAbsolutePath().normalize().resolve("db").resolve("workbench") + EMBEDDED_OPTIONS;
    }

    /**
     * Opens and migrates the database at {@code url}, which must pass {@link DatabaseUrls}. A file database is
     * created when its file does not exist; a file that exists is opened as it is, never created anew: one that is
     * empty or not an H2 database fails with a StorageException naming it, and stays untouched.
     */
    public static Database open(String url, String user, String password) {
        DatabaseUrls.DatabaseUrl parsed = DatabaseUrls.parse(url);
        String opened = url;
        Optional<Path> file = parsed.file();
        if (file.isPresent()) {
            if (existing(file.get()) && !parsed.settings().containsKey("IFEXISTS")) {
                opened = url + ";IFEXISTS=TRUE";
            }
        }
        Database db = new Database(url, opened, user, password);
        try (Connection probe = db.connection()) {
            probe.isValid(1);
        } catch (SQLException e) {
            db.pool.dispose();
            throw explain(url, e);
        }
        try {
            Flyway.configure().dataSource(db.pool).locations("classpath:db/migration")
                    .javaMigrations(new V3__Metric_rollups(), new V5__Metric_chunks(),
                            new V9__Sweep_and_ensemble_records()).load().migrate();
        } catch (FlywayException e) {
            db.pool.dispose();
            throw new StorageException("cannot bring the database " + url + " to the current schema: " + e.getMessage(), e);
        }
        return db;
    }

    /** Opens the embedded database of {@code home}. */
    public static Database openEmbedded(Path home) {
        return open(embeddedUrl(home), "sa", "");
    }

    /**
     * A connection from the pool, in auto-commit mode; the caller closes it. A pooled connection to a
     * server that has since restarted fails when handed out and leaves the pool; such stale connections
     * are skipped (up to the pool's size) so that one call reaches the server if it is there.
     */
    public Connection connection() throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt <= MAX_CONNECTIONS; attempt++) {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
                if (!stale(e)) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** A pooled connection whose session is gone, as opposed to a server that cannot be reached at all. */
    private static boolean stale(SQLException e) {
        if (e.getErrorCode() != 90067 && e.getErrorCode() != 90098 && e.getErrorCode() != 90121) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        return true;
    }

    public String url() {
        return url;
    }

    /**
     * Whether this is a team's shared database, reached over the network ({@code jdbc:h2:tcp:} or {@code jdbc:h2:ssl:}),
     * as opposed to a file of this machine: then the artifacts of a run live in the database as well
     * ({@link ArtifactChunks}), since its members' homes are on other machines.
     */
    public boolean isServer() {
        return url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:");
    }

    /** Work on one connection that may throw SQL errors. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A failure is a
     * {@link StorageException} saying "cannot {@code what}: " and the database's reason. Any thread.
     */
    public <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }

    /**
     * Whether the database file exists, after checking that it is an H2 database; when it does not, makes sure its
     * folder can be created, so that a wrong path fails here with its name rather than inside H2.
     */
    private static boolean existing(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException | SecurityException e) {
                throw new StorageException("cannot create the folder " + file.getParent() + " for the database ("
                        + reason(e) + ")", e);
            }
            return false;
        }
        String problem;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2 * HEADER_BLOCK);
            problem = head.length == 0 ? "it is empty (0 bytes)" : header(head, 0) || header(head, HEADER_BLOCK) ? null
                    : "it does not start as an H2 database does";
        } catch (IOException | SecurityException e) {
            problem = "it cannot be read (" + reason(e) + ")";
        }
        if (problem != null) {
            throw new StorageException("the database file " + file + " is damaged or not a database: " + problem
                    + ". It was left as it is; restore it from a backup, or move it away to start an empty database");
        }
        return true;
    }

    /** Why a file operation failed, in words rather than an exception's class name. */
    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "a file is in the way: " + f.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : ": " + f.getFile());
        }
        return String.valueOf(e.getMessage());
    }

    private static boolean header(byte[] head, int offset) {
        byte[] expected = H2_HEADER.getBytes(StandardCharsets.US_ASCII);
        if (head.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (head[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static StorageException explain(String url, SQLException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("already in use") || msg.contains("locked by another process")) {
            return new StorageException("the database " + url + " is open in another workbench process"
                    + " (a 'serve' or 'run' on the same WORKBENCH_HOME); stop it, or point this command"
                    + " at another home with WORKBENCH_HOME", e);
        }
        return new StorageException("cannot open the database " + url + ": " + e.getMessage(), e);
    }
}
