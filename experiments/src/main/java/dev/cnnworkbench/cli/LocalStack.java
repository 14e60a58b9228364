package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StorageVerticle;
import dev.cnnworkbench.web.RunStore;
import dev.cnnworkbench.web.WebServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One process's event bus with the storage verticle listening on it: what {@code run} publishes to
 * and {@code runs} reads from. Opened and closed by the command's thread.
 */
final class LocalStack implements AutoCloseable {

    private final Vertx vertx;
    private final Database db;

    private LocalStack(Vertx vertx, Database db) {
        this.vertx = vertx;
        this.db = db;
    }

    /** Opens the database, starts Vert.x and deploys the storage verticle on a worker thread. */
    static LocalStack start(HomeOptions options) {
        Database db = openDatabase(options);
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        try {
            vertx.deployVerticle(new StorageVerticle(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            db.close();
            throw new IllegalStateException("cannot start the storage: " + e.getMessage(), e);
        }
        return new LocalStack(vertx, db);
    }

    /**
     * Opens the database, for commands that read, and marks {@code INTERRUPTED} the runs of this machine
     * whose process is gone.
     */
    static Database openDatabase(HomeOptions options) {
        String url = options.databaseUrl();
        Database db = url == null ? Database.openEmbedded(options.home())
                : Database.open(url, System.getenv().getOrDefault("WORKBENCH_DB_USER", "sa"),
                        System.getenv().getOrDefault("WORKBENCH_DB_PASSWORD", ""));
        try {
            new RunWriter(db).markDeadRunsInterrupted(Host.name());
        } catch (SQLException e) {
            db.close();
            throw new StorageException("cannot check for interrupted runs in " + db.url() + ": " + e.getMessage(), e);
        }
        return db;
    }

    /**
     * Serves the dashboard and REST API from this process, over this stack's store and event bus (so
     * runs trained here stream live). Returns the URL; fails when the port cannot be bound.
     */
    String serveDashboard(String bind, int port) throws Exception {
        WebServer server = new WebServer(new RunStore(queries()), bind, port);
        try {
            vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the dashboard on " + bind + ":" + port + ": " + e.getMessage()
                    + (isBindFailure(e) ? " (is another 'workbench serve' running? choose another --port)" : ""), e);
        }
        return server.url();
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    EventBus bus() {
        return vertx.eventBus();
    }

    RunQueries queries() {
        return new RunQueries(db);
    }

    String databaseUrl() {
        return db.url();
    }

    /** Waits until everything published so far is committed; returns the points written in this process. */
    long flush(Duration timeout) throws Exception {
        return vertx.eventBus().<Long>request(Addresses.STORAGE_FLUSH, "")
                .await(timeout.toMillis(), TimeUnit.MILLISECONDS).body();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: event bus did not stop cleanly: " + e.getMessage());
        } finally {
            db.close();
        }
    }
}
