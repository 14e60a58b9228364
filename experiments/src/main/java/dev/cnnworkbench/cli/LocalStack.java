package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.ArtifactUploads;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StorageVerticle;
import dev.cnnworkbench.web.RunLauncher;
import dev.cnnworkbench.web.RunStore;
import dev.cnnworkbench.web.WebSecurity;
import dev.cnnworkbench.web.WebServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process's event bus and whatever persists what is published on it: what {@code run} publishes to.
 * Opened and closed by the command's thread.
 *
 * <p>One process owns a home's database. When a {@code workbench serve} is up for the home (it says so in
 * {@code HOME/server.json}, see {@link ServerFile}), {@link #start} leaves the database to it and deploys an
 * {@link IngestForwarder} that sends everything published here to that server ("remote" mode); otherwise it opens
 * the database and deploys the storage verticle ("local" mode). {@link #startOwner} always owns the database, and
 * {@link #serveDashboard} advertises it in {@code server.json} until {@link #close}.
 */
final class LocalStack implements AutoCloseable {

    /**
     * How long a live server of this home has to answer the probe. Generous: its process is alive and owns the
     * database, so giving up means failing to open that database; and a cold JVM's first TLS handshake on a loaded
     * machine takes seconds.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final Vertx vertx;
    private final Database db;
    private final ServerFile remote;
    private final Path home;
    private ServerFile served;

    private LocalStack(Vertx vertx, Database db, ServerFile remote, Path home) {
        this.vertx = vertx;
        this.db = db;
        this.remote = remote;
        this.home = home;
    }

    /**
     * For a process that trains: sends its runs to the live server of this home if there is one, else opens the
     * database and deploys the storage verticle on a worker thread. Says which on standard error.
     */
    static LocalStack start(HomeOptions options) {
        ServerFile server = liveServer(options);
        if (server != null) {
            System.err.println("the " + server + " owns this home's database: sending the runs of this process to it");
            return startRemote(options, server);
        }
        if (!Files.exists(ServerFile.path(options.home()))) { // else liveServer said why it is not used
            System.err.println("no 'workbench serve' is up for " + options.home() + ": this process opens the database itself");
        }
        return startLocal(options);
    }

    /**
     * For {@code serve}: opens the database and deploys the storage verticle; refuses (StorageException) when a live
     * server already owns this home.
     */
    static LocalStack startOwner(HomeOptions options) {
        ServerFile server = liveServer(options);
        if (server != null) {
            throw new StorageException("this home (" + options.home().toAbsolutePath().normalize() + ") is already served by"
                    + " the " + server + "; open that one, or stop it (Ctrl-C in its terminal) before serving from here");
        }
        return startLocal(options);
    }

    private static LocalStack startRemote(HomeOptions options, ServerFile server) {
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        try {
            vertx.deployVerticle(new IngestForwarder(options.home(), server, () -> openDatabase(options)))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            throw new IllegalStateException("cannot start sending runs to the " + server + ": " + e.getMessage(), e);
        }
        return new LocalStack(vertx, null, server, options.home());
    }

    /**
     * The server of this home that this process should send its runs to: its {@code server.json} names a live
     * process that owns the database this process would open, and answers. A file whose process is gone is
     * removed. Null when there is none.
     */
    private static ServerFile liveServer(HomeOptions options) {
        Path home = options.home();
        ServerFile server;
        try {
            server = ServerFile.read(home);
        } catch (IOException e) {
            System.err.println("warning: ignoring " + ServerFile.path(home) + ": " + e.getMessage());
            return null;
        }
        if (server == null) {
            return null;
        }
        if (!server.processAlive()) {
            server.deleteFrom(home);
            System.err.println("removed the stale " + ServerFile.path(home) + " (its server, pid " + server.pid()
                    + ", is gone)");
            return null;
        }
        String wanted = options.databaseUrl() != null ? options.databaseUrl() : Database.embeddedUrl(home);
        if (!wanted.equals(server.database())) {
            System.err.println("the " + server + " serves another database (" + server.database() + "); this process"
                    + " uses " + wanted + " itself");
            return null;
        }
        if (!server.answers(PROBE_TIMEOUT)) {
            System.err.println("warning: the " + server + " does not answer; this process opens the database itself");
            return null;
        }
        return server;
    }

    private static LocalStack startLocal(HomeOptions options) {
        long artifactCap = ArtifactUploads.maxBytes(System.getenv());
        Database db = openDatabase(options);
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        try {
            // Points the database cannot take yet wait in HOME/spill, and the next start of this home writes them.
            // In a team database, the files of the runs recorded here are copied into it (ArtifactUploads).
            ArtifactUploads uploads = ArtifactUploads.forDatabase(db, RunArtifacts.root(options.home()),
                    artifactCap).orElse(null);
            vertx.deployVerticle(new StorageVerticle(db, StorageVerticle.Options.spillingTo(options.home().resolve("spill")),
                            uploads), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            db.close();
            throw new IllegalStateException("cannot start the storage: " + e.getMessage(), e);
        }
        return new LocalStack(vertx, db, null, options.home());
    }

    /**
     * Opens the database, for commands that read, and marks {@code INTERRUPTED} the runs of this machine
     * whose process is gone. An embedded database held by another process fails with a StorageException that
     * names that process and says what to do.
     */
    static Database openDatabase(HomeOptions options) {
        String url = options.databaseUrl();
        Database db;
        try {
            db = url == null ? Database.openEmbedded(options.home())
                    : Database.open(url, System.getenv().getOrDefault("WORKBENCH_DB_USER", "sa"),
                            System.getenv().getOrDefault("WORKBENCH_DB_PASSWORD", ""));
        } catch (StorageException e) {
            if (url == null && DatabaseHolder.isHeldElsewhere(e)) {
                throw DatabaseHolder.explain(options.home(), e);
            }
            throw e;
        }
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
     * runs trained here stream live), and accepts the runs of other processes of this home: it writes
     * {@code HOME/server.json} (removed by {@link #close}). Returns the URL; fails when the port cannot be bound,
     * or when this stack sends its runs to another server. {@code plugins}: what the dashboard's plugins page lists.
     */
    String serveDashboard(String bind, int port, PluginRegistry plugins) throws Exception {
        return serveDashboard(bind, port, plugins, false, null);
    }

    /**
     * As {@link #serveDashboard(String, int, PluginRegistry)}, its runs renamable and deletable by their owners, in
     * team mode when {@code team} (logins and API tokens of {@link #accounts()}), starting runs with {@code launcher}
     * when not null.
     */
    String serveDashboard(String bind, int port, PluginRegistry plugins, boolean team, RunLauncher launcher)
            throws Exception {
        return serveDashboard(bind, port, plugins, team, launcher, WebSecurity.DEFAULT);
    }

    /** As {@link #serveDashboard(String, int, PluginRegistry, boolean, RunLauncher)}, guarded as {@code security} says. */
    String serveDashboard(String bind, int port, PluginRegistry plugins, boolean team, RunLauncher launcher,
                          WebSecurity security) throws Exception {
        if (remote != null) {
            throw new IllegalStateException("this home is already served by the " + remote + "; open that one, or stop"
                    + " it (Ctrl-C in its terminal) first");
        }
        String token = ServerFile.newToken();
        RunStore store = new RunStore(queries(), RunArtifacts.root(home), new RunWriter(db));
        WebServer server = new WebServer(store, bind, port, token).withPlugins(plugins)
                .withRunChanges(new RunChanges(db)).withSecurity(security);
        if (team) {
            server.withTeamMode(accounts());
        }
        if (launcher != null) {
            server.withLauncher(launcher);
        }
        try {
            vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            String message = "cannot start the dashboard on " + bind + ":" + port + ": " + e.getMessage();
            if (isBindFailure(e)) { // the user's choice of port: a usage error (exit 2)
                throw new IllegalArgumentException(message
                        + " (is another 'workbench serve' running? choose another --port)", e);
            }
            throw new IllegalStateException(message, e);
        }
        ServerFile file = new ServerFile(localUrl(bind, server), ProcessHandle.current().pid(), token, Host.name(), db.url(),
                security.tls() ? security.tlsCert().toAbsolutePath().normalize().toString() : null);
        try {
            file.write(home);
            served = file;
        } catch (IOException e) {
            System.err.println("warning: cannot write " + ServerFile.path(home) + " (" + e.getMessage() + "): runs started"
                    + " in other terminals will not find this server and cannot open the database while it runs");
        }
        return server.url();
    }

    /** The server's URL as other processes of this machine reach it. */
    private static String localUrl(String bind, WebServer server) {
        try {
            InetAddress address = InetAddress.getByName(bind);
            if (address.isAnyLocalAddress()) {
                return server.url().substring(0, server.url().indexOf("://") + 3)
                        + (address instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1") + ":" + server.port() + "/";
            }
        } catch (UnknownHostException e) {
            // the server listens, so the name resolved; keep its own URL
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

    /** This process's Vert.x, for deploying more verticles on the same bus. */
    Vertx vertx() {
        return vertx;
    }

    /** The data folder: database, artifacts, spill files. */
    Path home() {
        return home;
    }

    /** The store of this process's database; fails in remote mode, where the server owns it. */
    /** The sweep records of the database this process owns. */
    dev.cnnworkbench.storage.SweepStore sweeps() {
        queries(); // the same check: a process that sends its runs elsewhere has no database open
        return new dev.cnnworkbench.storage.SweepStore(db);
    }

    RunQueries queries() {
        if (db == null) {
            throw new IllegalStateException("this process sends its runs to the " + remote + " and has no database open");
        }
        return new RunQueries(db);
    }

    /** The team's accounts in this process's database; fails in remote mode, where the server owns it. */
    UserAccounts accounts() {
        if (db == null) {
            throw new IllegalStateException("this process sends its runs to the " + remote + " and has no database open");
        }
        return new UserAccounts(db);
    }

    /** Where runs published here are recorded, for people: a database URL, or the server that owns it. */
    String databaseUrl() {
        return remote != null ? "the server at " + remote.url() + " (its database " + remote.database() + ")" : db.url();
    }

    /** The server this process sends its runs to; empty when it owns the database itself. */
    Optional<String> serverUrl() {
        return Optional.ofNullable(remote).map(ServerFile::url);
    }

    /**
     * Waits until everything published so far is committed; returns the points written in this process. When the
     * database does not take them (away, refusing) it throws a {@link StorageException} (exit code 4) saying how many
     * wait and that they are kept in the home's spill folder for the next start.
     */
    long flush(Duration timeout) throws Exception {
        try {
            return vertx.eventBus().<Long>request(Addresses.STORAGE_FLUSH, "")
                    .await(timeout.toMillis(), TimeUnit.MILLISECONDS).body();
        } catch (io.vertx.core.eventbus.ReplyException e) {
            if (e.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
                throw e;
            }
            throw new StorageException(e.getMessage() + " (" + databaseUrl() + "); nothing is lost: they are kept under "
                    + home.resolve("spill") + " and written by the next workbench command on this home", e);
        }
    }

    /** Stops advertising this server (first, so no new run picks it), then stops the bus and closes the database. */
    @Override
    public void close() {
        if (served != null) {
            served.deleteFrom(home);
            served = null;
        }
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: event bus did not stop cleanly: " + e.getMessage());
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
