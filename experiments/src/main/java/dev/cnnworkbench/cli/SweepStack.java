package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.TrackedTrials;
import dev.cnnworkbench.core.sweep.TrialWorker;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StorageVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@code sweep} needs in one process: the event bus with the storage verticle (as {@link LocalStack}) and a
 * {@link TrialWorker} training up to {@code slots} trials at a time. Opened and closed by the command's thread.
 */
final class SweepStack implements AutoCloseable {

    private final Vertx vertx;
    private final Database db;
    private final TrackedTrials trials;

    private SweepStack(Vertx vertx, Database db, TrackedTrials trials) {
        this.vertx = vertx;
        this.db = db;
        this.trials = trials;
    }

    /** Opens the database, starts Vert.x, deploys the storage (worker verticle) and a trial worker. */
    static SweepStack start(HomeOptions home, SpecResolver resolver, int slots) {
        Database db = LocalStack.openDatabase(home);
        Vertx vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        SweepCodecs.register(vertx.eventBus());
        TrackedTrials trials = new TrackedTrials(vertx.eventBus(), resolver, Host.user());
        try {
            vertx.deployVerticle(new StorageVerticle(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
            vertx.deployVerticle(new TrialWorker(trials, slots)).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await();
            db.close();
            throw new IllegalStateException("cannot start the sweep: " + e.getMessage(), e);
        }
        return new SweepStack(vertx, db, trials);
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

    /** Records every trial still training as {@code INTERRUPTED}; for a shutdown hook. */
    int interruptAll(String reason) {
        return trials.interruptAll(reason);
    }

    /** Waits until everything published so far is committed. */
    void flush(Duration timeout) throws Exception {
        vertx.eventBus().<Long>request(Addresses.STORAGE_FLUSH, "").await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
