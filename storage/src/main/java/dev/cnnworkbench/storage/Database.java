package dev.cnnworkbench.storage;

import java.nio.file.Path;
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

    private Database(String url, String user, String password) {
        this.url = url;
        this.pool = JdbcConnectionPool.create(url, user, password);
        this.pool.setMaxConnections(MAX_CONNECTIONS);
    }

    /** The embedded database file of a workbench home folder ({@code HOME/db/workbench.mv.db}). */
    public static String embeddedUrl(Path home) {
        return "jdbc:h2:file:" + home.toAbsolutePath().normalize().resolve("db").resolve("workbench") + EMBEDDED_OPTIONS;
    }

    /** Opens (creating if needed) and migrates the database at {@code url}. */
    public static Database open(String url, String user, String password) {
        DatabaseUrls.check(url);
        Database db = new Database(url, user, password);
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

    @Override
    public void close() {
        pool.dispose();
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
