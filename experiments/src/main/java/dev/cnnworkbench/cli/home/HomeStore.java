package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.cluster.ClusterMember;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.storage.BusStoreClient;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.DirectStoreClient;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.storage.StoreClient;
import java.nio.file.Files;
import java.util.Optional;

/**
 * A home's store, for the commands that read it (and write a little into it: check results): the hub's, over the
 * clustered bus, when the home has a live hub ({@code serve}, {@code demo}, or any command that opened the database);
 * otherwise the database opened in this process, which also marks {@code INTERRUPTED} the runs of this machine whose
 * process is gone. Opened and closed by the command's thread.
 */
public final class HomeStore implements AutoCloseable {

    private static final int HELD_RETRIES = 20;

    private final StoreClient store;
    private final ClusterMember member;
    private final Database db;

    private HomeStore(StoreClient store, ClusterMember member, Database db) {
        this.store = store;
        this.member = member;
        this.db = db;
    }

    /** Joins the home's hub, or opens its database when it has none (waiting a while for one that is starting). */
    public static HomeStore open(HomeOptions options) {
        for (int attempt = 0; ; attempt++) {
            HubFile hub = LocalStack.liveHub(options);
            if (hub != null) {
                ClusterMember member = LocalStack.join(options.home(), hub);
                return new HomeStore(new BusStoreClient(member.vertx().eventBus(), "the " + hub,
                        LocalStack.REQUEST_TIMEOUT), member, null);
            }
            try {
                Database db = LocalStack.openDatabase(options);
                return new HomeStore(new DirectStoreClient(db), null, db);
            } catch (StorageException e) {
                if (attempt >= HELD_RETRIES || options.databaseUrl() != null || !DatabaseHolder.isHeldElsewhere(e)
                        || !Files.exists(options.home().resolve("db"))) {
                    throw e;
                }
                try {
                    Thread.sleep(1_000); // another process opened it a moment ago: it writes hub.json next
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public StoreClient store() {
        return store;
    }

    /** The database when this process opened it; empty when the hub holds it. */
    Optional<Database> database() {
        return Optional.ofNullable(db);
    }

    @Override
    public void close() {
        if (member != null) {
            member.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
