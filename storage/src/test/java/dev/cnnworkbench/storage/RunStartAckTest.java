package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.RunStartAck;
import dev.cnnworkbench.core.bus.RunStarted;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store acknowledges a run's start to its trainer ({@link Addresses#RUN_RECORDED}): a start the database takes is
 * answered, one it refuses (a name longer than {@code runs.name}) fails with the database's reason, so the trainer
 * does not train a run nothing keeps. A bus without a storage lets the trainer go on.
 */
class RunStartAckTest {

    @TempDir
    static Path dir;
    static Database db;
    static Vertx vertx;

    @BeforeAll
    static void storage() throws Exception {
        db = Database.openEmbedded(dir);
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        vertx.deployVerticle(new StorageVerticle(db, StorageVerticle.Options.spillingTo(dir.resolve("spill"))),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        db.close();
    }

    private static void publishStart(String id, String name) {
        vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(id, name, "exp", "{}", Map.of("train.epochs", 1),
                Map.of("git", "x"), System.currentTimeMillis(), ProcessHandle.current().pid(), "testhost", "tester"));
    }

    @Test
    void aStartTheDatabaseRefusesIsRefusedToItsTrainerWithTheReason() throws Exception {
        publishStart("refused1", "n".repeat(256));
        assertThatThrownBy(() -> RunStartAck.await(vertx.eventBus(), "refused1"))
                .isInstanceOf(RunStartAck.Refused.class)
                .hasMessageContaining("refused1").hasMessageContaining("NAME");
        assertThat(Files.readString(dir.resolve("spill/rejected.jsonl"))).contains("refused1");
    }

    @Test
    void aStartTheDatabaseTakesIsAcknowledgedAndRecorded() throws Exception {
        publishStart("taken1", "n".repeat(255));
        RunStartAck.await(vertx.eventBus(), "taken1");
        assertThat(new RunQueries(db).run("taken1")).isPresent();
    }

    @Test
    void withoutAStorageOnTheBusTheTrainerGoesOn() throws Exception {
        Vertx bare = Vertx.vertx();
        try {
            long t0 = System.nanoTime();
            RunStartAck.await(bare.eventBus(), "nobody"); // returns at once: no handler
            assertThat(System.nanoTime() - t0).isLessThan(RunStartAck.TIMEOUT.toNanos() / 2);
        } finally {
            bare.close().await(10, TimeUnit.SECONDS);
        }
    }
}
