package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage verticle against a real H2 TCP server that is stopped and started under it: the
 * database really goes away and comes back.
 */
class StorageVerticleTest {

    @TempDir
    Path dir;
    Server server;
    int port;
    Database db;
    Vertx vertx;

    @BeforeEach
    void serverAndBus() throws SQLException {
        startServer(0);
        db = Database.open("jdbc:h2:tcp://127.0.0.1:" + port + "/wb", "sa", "");
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        db.close();
        server.stop();
    }

    private void startServer(int wanted) throws SQLException {
        server = Server.createTcpServer("-tcpPort", String.valueOf(wanted), "-baseDir", dir.resolve("h2").toString(),
                "-ifNotExists").start();
        port = server.getPort();
    }

    private StorageVerticle deploy(StorageVerticle.Options options) throws Exception {
        StorageVerticle verticle = new StorageVerticle(db, options);
        vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .await(20, TimeUnit.SECONDS);
        return verticle;
    }

    private static RunStarted started(String id) {
        return new RunStarted(id, "run " + id, "exp", "{}", Map.of("optimizer.lr", 0.01), Map.of("git", "x"),
                System.currentTimeMillis(), ProcessHandle.current().pid(), "testhost", "tester");
    }

    /** Publishes points {@code from..from+n-1} of run {@code id} in batches of 10. */
    private void publish(String id, long from, int n) {
        for (long s = from; s < from + n; s += 10) {
            List<MetricPoint> batch = new ArrayList<>();
            for (long k = s; k < Math.min(from + n, s + 10); k++) {
                batch.add(new MetricPoint("loss", k, (int) (k / 100), k, 1.0 / (k + 1)));
            }
            vertx.eventBus().publish(Addresses.METRICS, new MetricBatch(id, batch));
        }
    }

    private Long flush() throws Exception {
        return vertx.eventBus().<Long>request(Addresses.STORAGE_FLUSH, "").await(20, TimeUnit.SECONDS).body();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<Long> steps(String run) {
        return new RunQueries(db).history(run, "loss").stream().map(MetricPoint::step).toList();
    }

    @Test
    void writesRunsAndPointsAndAnswersFlushWithTheCount() throws Exception {
        deploy(StorageVerticle.Options.defaults());
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("a"));
        publish("a", 0, 2_500);
        vertx.eventBus().publish(Addresses.RUN_ENDED, new RunEnded("a", RunStatus.FINISHED, null, System.currentTimeMillis()));
        assertThat(flush()).isEqualTo(2_500L);
        assertThat(steps("a")).isEqualTo(LongStream.range(0, 2_500).boxed().toList());
        assertThat(new RunQueries(db).run("a").orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void keepsEveryPointWhileTheDatabaseIsDownAndWritesThemWhenItReturns() throws Exception {
        Path spill = dir.resolve("spill");
        StorageVerticle verticle = deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("a"));
        publish("a", 0, 500);
        assertThat(flush()).isEqualTo(500L);

        server.stop();
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("b"));
        publish("a", 500, 2_000);
        publish("b", 0, 2_000);
        vertx.eventBus().publish(Addresses.RUN_ENDED, new RunEnded("a", RunStatus.FINISHED, null, System.currentTimeMillis()));
        await("every point is queued", () -> verticle.waitingPoints() == 4_000);
        assertThat(verticle.spilledPoints()).as("beyond the in-memory bound").isGreaterThanOrEqualTo(3_000);
        assertThat(Files.list(spill)).anySatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".spill"));
        assertThatThrownBy(this::flush).isInstanceOf(ReplyException.class).hasMessageContaining("4000 metric points");

        startServer(port);
        await("the waiting points are written", () -> verticle.waitingPoints() == 0);
        assertThat(flush()).isEqualTo(4_500L);
        assertThat(steps("a")).isEqualTo(LongStream.range(0, 2_500).boxed().toList());
        assertThat(steps("b")).isEqualTo(LongStream.range(0, 2_000).boxed().toList());
        RunQueries queries = new RunQueries(db);
        assertThat(queries.run("a").orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(queries.run("b").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(Files.list(spill)).noneSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".spill"));
    }

    @Test
    void leavesItsQueueOnDiskWhenStoppedWithoutADatabaseAndTheNextStartWritesIt() throws Exception {
        Path spill = dir.resolve("spill");
        StorageVerticle first = deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        String deployment = vertx.deploymentIDs().iterator().next();
        server.stop();
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("c"));
        publish("c", 0, 3_000);
        await("every point is queued", () -> first.waitingPoints() == 3_000);
        vertx.undeploy(deployment).await(20, TimeUnit.SECONDS);
        assertThat(Files.list(spill)).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".spill"));

        startServer(port);
        deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        assertThat(steps("c")).isEqualTo(LongStream.range(0, 3_000).boxed().toList());
        assertThat(Files.list(spill)).isEmpty();
    }

    @Test
    void rejectsWhatTheDatabaseRefusesForItsContentWithoutHoldingUpTheRest() throws Exception {
        Path spill = dir.resolve("spill");
        deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        String tooLong = "x".repeat(40); // run ids are at most 32 characters
        vertx.eventBus().publish(Addresses.RUN_STARTED, started(tooLong));
        publish(tooLong, 0, 20);
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("d"));
        publish("d", 0, 300);
        assertThat(flush()).isEqualTo(300L);
        assertThat(steps("d")).hasSize(300);
        assertThat(Files.readAllLines(spill.resolve("rejected.jsonl")))
                .anySatisfy(l -> assertThat(l).contains("\"type\":\"start\"").contains(tooLong))
                .anySatisfy(l -> assertThat(l).contains("\"type\":\"points\""));
    }
}
