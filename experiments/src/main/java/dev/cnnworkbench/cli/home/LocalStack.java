package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.cluster.ClusterKey;
import dev.cnnworkbench.cluster.ClusterMember;
import dev.cnnworkbench.cluster.ClusterOptions;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.cluster.HubLink;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.ArtifactUploads;
import dev.cnnworkbench.storage.BusStoreClient;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.DirectStoreClient;
import dev.cnnworkbench.storage.HubIngest;
import dev.cnnworkbench.storage.StoreClient;
import dev.cnnworkbench.storage.StoreService;
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
 * <p>One process owns a home's store: its hub. It says so in {@code HOME/hub.json} ({@link HubFile}: its join address,
 * pid, database and cluster key). Every process has two buses ({@link ProcessBuses}): its own local one, where what
 * it trains publishes, and the cluster's ({@link ClusterMember}: Hazelcast membership on 127.0.0.1, TLS with the
 * home's {@link ClusterKey}). In the hub the storage verticle listens on the local bus; the {@link StoreService}
 * (reads and writes by request/reply) and {@link HubIngest} (run events of other processes, handed to the local bus
 * in order) listen on the cluster's. {@link #start} attaches to
 * the live hub of the home when there is one ("attached" mode: this process's trainers publish on a bus of its own,
 * and a {@link HubLink} hands everything to the hub over the cluster), and otherwise becomes the hub itself
 * ("hub" mode: it opens the database). {@link #startOwner} is always the hub (serve, demo), and
 * {@link #serveDashboard} also advertises the dashboard in {@code server.json} until {@link #close}.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * How long joining the hub may take: a cold JVM's Hazelcast join and first TLS handshake on a loaded machine take
     * seconds; giving up means this process cannot record anything.
     */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long a store request to the hub may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** How long to wait for a database another process opens (it is about to advertise itself as the hub). */
    private static final int HELD_RETRIES = 20;

    private final Vertx vertx;
    private final Database db;
    private final ClusterMember member;
    private final HubFile remote;
    private final Path home;
    private HubFile ownHub;
    private ServerFile served;

    private LocalStack(Vertx vertx, Database db, ClusterMember member, HubFile remote, Path home) {
        this.vertx = vertx;
        this.db = db;
        this.member = member;
        this.remote = remote;
        this.home = home;
    }

    /**
     * For a process that trains: attaches to the live hub of this home if there is one, else opens the database and
     * becomes the hub. Says which on standard error. A hub that ends while this process joins it is looked for again
     * (this process then becomes the hub, or attaches to the one that did).
     */
    public static LocalStack start(HomeOptions options) {
        for (int attempt = 0; ; attempt++) {
            HubFile hub = liveHub(options);
            if (hub != null) {
                System.err.println("the " + hub + " owns this home's database: sending the runs of this process to it");
                try {
                    return startAttached(options, hub);
                } catch (RuntimeException e) {
                    if (attempt >= HELD_RETRIES || !endsWithin(hub, Duration.ofSeconds(5))) {
                        throw e;
                    }
                    // it ended while this process joined it (nothing was sent yet): its hub.json is stale now
                    System.err.println("the " + hub + " ended while this process joined it; looking again");
                    continue;
                }
            }
            try {
                return startHub(options, ClusterOptions.hub(ClusterOptions.LOOPBACK));
            } catch (StorageException e) {
                if (attempt >= HELD_RETRIES || options.databaseUrl() != null || !DatabaseHolder.isHeldElsewhere(e)
                        || !Files.exists(options.home().resolve("db"))) {
                    throw e;
                }
                sleep(1_000); // another process opened it a moment ago: it writes hub.json next
            }
        }
    }

    /**
     * For {@code serve} and {@code demo}: opens the database and becomes the hub, its cluster listening as
     * {@code cluster} says; refuses (StorageException) when a live hub already owns this home.
     */
    public static LocalStack startOwner(HomeOptions options, ClusterOptions cluster) {
        HubFile hub = liveHub(options);
        if (hub != null) {
            throw new StorageException("this home (" + options.home().toAbsolutePath().normalize() + ") is already owned by"
                    + " the " + hub + "; use that one, or stop it (Ctrl-C in its terminal) before serving from here");
        }
        return startHub(options, cluster);
    }

    /** As {@link #startOwner(HomeOptions, ClusterOptions)}, the cluster on this machine's loopback only. */
    public static LocalStack startOwner(HomeOptions options) {
        return startOwner(options, ClusterOptions.hub(ClusterOptions.LOOPBACK));
    }

    /** Whether {@code hub}'s process has ended, or ends within {@code grace}. */
    private static boolean endsWithin(HubFile hub, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (hub.processAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the home's database", e);
        }
    }

    /**
     * The hub of this home that this process should attach to: its {@code hub.json} names a live process that owns
     * the database this process would open. A file whose process is gone is removed. Null when there is none.
     */
    static HubFile liveHub(HomeOptions options) {
        Path home = options.home();
        HubFile hub;
        try {
            hub = HubFile.read(home);
        } catch (IOException e) {
            System.err.println("warning: ignoring " + HubFile.path(home) + ": " + e.getMessage());
            return null;
        }
        if (hub == null) {
            return null;
        }
        if (!hub.processAlive()) {
            hub.deleteFrom(home);
            System.err.println("removed the stale " + HubFile.path(home) + " (its hub, pid " + hub.pid() + ", is gone)");
            return null;
        }
        String wanted = options.databaseUrl() != null ? options.databaseUrl() : Database.embeddedUrl(home);
        if (!wanted.equals(hub.database())) {
            System.err.println("the " + hub + " owns another database (" + hub.database() + "); this process uses "
                    + wanted + " itself");
            return null;
        }
        return hub;
    }

    /** This home's cluster key, made when it has none (the first hub of a home makes it). */
    public static ClusterKey clusterKey(Path home) {
        try {
            return ClusterKey.ensure(ClusterKey.folder(home, System.getenv()));
        } catch (IOException e) {
            throw new StorageException("cannot read or make this home's cluster key: " + e.getMessage(), e);
        }
    }

    /** Joins {@code hub}'s cluster; fails (StorageException) saying why when it cannot. */
    static ClusterMember join(Path home, HubFile hub) {
        ClusterKey key = clusterKey(home);
        if (!hub.key().isEmpty() && !hub.key().equals(key.fingerprint())) {
            throw new StorageException("the " + hub + " speaks with another cluster key than " + key.cert().getParent()
                    + " holds; copy the hub's key folder here (or set " + ClusterKey.ENV + ")");
        }
        ClusterMember member;
        try {
            member = ClusterMember.start(ClusterOptions.joining(hub.join()), key, JOIN_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new StorageException("cannot join the " + hub + ": " + e.getMessage(), e);
        }
        try {
            // the hub answers on the bus: proof that this member joined its cluster and holds its key
            new BusStoreClient(member.vertx().eventBus(), "the " + hub, Duration.ofSeconds(30)).anyRunHas("started_at");
        } catch (RuntimeException e) {
            member.close();
            throw new StorageException("joined the cluster of the " + hub + " but it does not answer: " + e.getMessage(), e);
        }
        return member;
    }

    private static LocalStack startAttached(HomeOptions options, HubFile hub) {
        ClusterMember member = join(options.home(), hub);
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        try {
            vertx.deployVerticle(new HubLink(options.home(), hub, member, () -> openDatabase(options)))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            member.close();
            throw new IllegalStateException("cannot start sending runs to the " + hub + ": " + e.getMessage(), e);
        }
        return new LocalStack(vertx, null, member, hub, options.home());
    }

    private static LocalStack startHub(HomeOptions options, ClusterOptions cluster) {
        long artifactCap = ArtifactUploads.maxBytes(System.getenv());
        Database db = openDatabase(options);
        ClusterMember member = null;
        try {
            member = ClusterMember.start(cluster, clusterKey(options.home()), JOIN_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("warning: this process cannot be the home's hub (" + e.getMessage() + "); other"
                    + " workbench processes cannot reach its database while it runs");
        }
        Vertx vertx = Vertx.vertx(); // the local bus (ProcessBuses): the storage and everything this process publishes
        BusCodecs.register(vertx);
        try {
            // Points the database cannot take yet wait in HOME/spill, and the next start of this home writes them.
            // In a team database, the files of the runs recorded here are copied into it (ArtifactUploads).
            ArtifactUploads uploads = ArtifactUploads.forDatabase(db, RunArtifacts.root(options.home()),
                    artifactCap).orElse(null);
            DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
            vertx.deployVerticle(new StorageVerticle(db, StorageVerticle.Options.spillingTo(options.home().resolve("spill")),
                            uploads), worker).await(30, TimeUnit.SECONDS);
            if (member != null) {
                member.vertx().deployVerticle(new StoreService(db), worker).await(30, TimeUnit.SECONDS);
                member.vertx().deployVerticle(new HubIngest(Host.name(), vertx.eventBus())).await(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (member != null) {
                member.close();
            }
            vertx.close().await();
            db.close();
            throw new IllegalStateException("cannot start the storage: " + e.getMessage(), e);
        }
        LocalStack stack = new LocalStack(vertx, db, member, null, options.home());
        if (member != null) {
            stack.advertise(DatabaseHolder.command(ProcessHandle.current().pid()).orElse("workbench"));
        }
        return stack;
    }

    /** Writes (again) this hub's {@code hub.json}, naming it {@code command} for people. */
    private void advertise(String command) {
        HubFile file = new HubFile(member.joinAddress(), ProcessHandle.current().pid(), Host.name(), db.url(),
                clusterKey(home).fingerprint(), command);
        try {
            file.write(home);
            ownHub = file;
        } catch (IOException e) {
            System.err.println("warning: cannot write " + HubFile.path(home) + " (" + e.getMessage() + "): other"
                    + " workbench processes of this home will not find this hub and cannot open the database while it runs");
        }
    }

    /** Where other processes and machines join this hub ({@code HOST:PORT}); empty when this process is no hub. */
    public Optional<String> joinAddress() {
        return remote == null && member != null ? Optional.of(member.joinAddress()) : Optional.empty();
    }

    /**
     * The bus on which the hub's commands are answered (its work queue: {@code run --remote}): the cluster's, as this
     * process joined it, or this process's own when it is the hub.
     */
    public EventBus hubBus() {
        return member != null ? member.vertx().eventBus() : vertx.eventBus();
    }

    /** The hub this process sends its runs to; empty when it is the hub itself. */
    public Optional<HubFile> hub() {
        return Optional.ofNullable(remote);
    }

    /** The store: this process's database, or the hub's over the bus. */
    public StoreClient store() {
        if (db != null) {
            return new DirectStoreClient(db);
        }
        return new BusStoreClient(member.vertx().eventBus(), "the " + remote, REQUEST_TIMEOUT);
    }

    /**
     * Opens the database, for commands that read, and marks {@code INTERRUPTED} the runs of this machine
     * whose process is gone. An embedded database held by another process fails with a StorageException that
     * names that process and says what to do.
     */
    public static Database openDatabase(HomeOptions options) {
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
    public String serveDashboard(String bind, int port, PluginRegistry plugins) throws Exception {
        return serveDashboard(bind, port, plugins, false, null);
    }

    /**
     * As {@link #serveDashboard(String, int, PluginRegistry)}, its runs renamable and deletable by their owners, in
     * team mode when {@code team} (logins and API tokens of {@link #accounts()}), starting runs with {@code launcher}
     * when not null.
     */
    public String serveDashboard(String bind, int port, PluginRegistry plugins, boolean team, RunLauncher launcher)
            throws Exception {
        return serveDashboard(bind, port, plugins, team, launcher, WebSecurity.DEFAULT);
    }

    /** As {@link #serveDashboard(String, int, PluginRegistry, boolean, RunLauncher)}, guarded as {@code security} says. */
    public String serveDashboard(String bind, int port, PluginRegistry plugins, boolean team, RunLauncher launcher,
                          WebSecurity security) throws Exception {
        if (remote != null) {
            throw new IllegalStateException("this home is already served by the " + remote + "; open that one, or stop"
                    + " it (Ctrl-C in its terminal) first");
        }
        String token = ServerFile.newToken();
        RunStore store = new RunStore(queries(), RunArtifacts.root(home), new RunWriter(db));
        WebServer server = new WebServer(store, bind, port, token).withPlugins(plugins)
                .withRunChanges(new RunChanges(db)).withSecurity(security).withWorkBus(workVertx().eventBus());
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
            System.err.println("warning: cannot write " + ServerFile.path(home) + " (" + e.getMessage() + ")");
        }
        if (member != null) {
            advertise("workbench serve at " + file.url());
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

    /** This process's local bus ({@link ProcessBuses}): what it trains publishes here. */
    public EventBus bus() {
        return vertx.eventBus();
    }

    /**
     * Where this process's work queue and workers run: the hub's cluster when this process is the hub (workers that
     * joined take its trials), else this process's own Vert.x (an attached process trains its trials itself).
     */
    public Vertx workVertx() {
        return remote == null && member != null ? member.vertx() : vertx;
    }

    /** The cluster this process joined, when it is attached to another process's hub. */
    public Optional<Vertx> joinedCluster() {
        return remote != null ? Optional.of(member.vertx()) : Optional.empty();
    }

    /** The data folder: database, artifacts, spill files. */
    public Path home() {
        return home;
    }

    /** The sweep records of the database this process owns. */
    public dev.cnnworkbench.storage.SweepStore sweeps() {
        queries(); // the same check: a process that sends its runs elsewhere has no database open
        return new dev.cnnworkbench.storage.SweepStore(db);
    }

    public RunQueries queries() {
        if (db == null) {
            throw new IllegalStateException("this process sends its runs to the " + remote + " and has no database open");
        }
        return new RunQueries(db);
    }

    /** The team's accounts in this process's database; fails in remote mode, where the server owns it. */
    public UserAccounts accounts() {
        if (db == null) {
            throw new IllegalStateException("this process sends its runs to the " + remote + " and has no database open");
        }
        return new UserAccounts(db);
    }

    /** Where runs published here are recorded, for people: a database URL, or the hub that owns it. */
    public String databaseUrl() {
        return remote != null ? "the " + remote + " (its database " + remote.database() + ")" : db.url();
    }

    /**
     * Waits until everything published so far is committed; returns the points written in this process. When the
     * database does not take them (away, refusing) it throws a {@link StorageException} (exit code 4) saying how many
     * wait and that they are kept in the home's spill folder for the next start.
     */
    public long flush(Duration timeout) throws Exception {
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

    /**
     * Stops advertising this hub and server (first, so no new process picks them), then stops the bus (delivering what
     * is left to the hub when attached), leaves the cluster and closes the database.
     */
    @Override
    public void close() {
        if (ownHub != null) {
            ownHub.deleteFrom(home);
            ownHub = null;
        }
        if (served != null) {
            served.deleteFrom(home);
            served = null;
        }
        try {
            if (member != null && remote == null) {
                member.close(); // the hub takes nothing more from the cluster, then its storage writes what it has
            }
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: event bus did not stop cleanly: " + e.getMessage());
        } finally {
            if (remote != null && member != null) {
                member.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }
}
