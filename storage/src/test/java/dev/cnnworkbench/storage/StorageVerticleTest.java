package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.RungJudged;
import dev.cnnworkbench.core.bus.SweepDefined;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
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

    private void warn(String id, long step) {
        vertx.eventBus().publish(Addresses.RUN_WARNING, new RunWarning(id, "update_ratio", step,
                "update ratio 0.3 at step " + step + " is far above 1e-3: lower the learning rate", 1_000 + step));
    }

    private void artifact(String id, String file, long step) {
        vertx.eventBus().publish(Addresses.RUN_ARTIFACT, new RunArtifact(id, "image", "filters", id + "/" + file, 100 + step,
                "0".repeat(63) + step % 10, "image/png", step, (int) (step / 100), 2_000 + step));
    }

    private List<Long> warningSteps(String run) {
        return new RunQueries(db).warnings(run).stream().map(StoredWarning::step).toList();
    }

    private List<String> artifactPaths(String run) {
        return new RunQueries(db).artifacts(run).stream().map(StoredArtifact::path).toList();
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
    void persistsASweepItsTrialsLinkedByNumberItsRungsAndAnEnsembleFromTheBus() throws Exception {
        deploy(StorageVerticle.Options.defaults());
        var bus = vertx.eventBus();
        bus.publish(Addresses.SWEEP_DEFINED, new SweepDefined("s1", "{}", "random", "val_loss", "min", 2, 2, 7L,
                Map.of("optimizer.lr", "{\"loguniform\":[1.0E-4,0.1]}"), null, 3, "s0",
                List.of(new SweepDefined.PlannedTrial(1, "{\"optimizer.lr\":0.01}"),
                        new SweepDefined.PlannedTrial(2, "{\"optimizer.lr\":0.001}")), "ana", 1_000L));
        RunStarted t2 = started("t2");
        bus.publish(Addresses.RUN_STARTED, new RunStarted("t2", "renamed later", "s1", "{}", t2.params(), t2.provenance(),
                t2.startedAt(), t2.pid(), t2.host(), t2.user(), 0, new SweepTrialRef("s1", 2)));
        bus.publish(Addresses.METRICS, new MetricBatch("t2", List.of(new MetricPoint("val_loss", 0, 0, 1, 0.42))));
        bus.publish(Addresses.SWEEP_RUNG, new RungJudged("s1", 2, 1, 0.42, 0.3, 2, 2, false, "ASHA: ...", 2_000L));
        bus.publish(Addresses.ENSEMBLE_RECORDED, new EnsembleRecorded("e1", "t2", "one", "independent", null, "s1",
                "mean-softmax", "test", 10, 0.5, 1.2, 0, "mcnemar-exact", 0, 0, 1.0,
                List.of(new EnsembleRecorded.Member("t2", null, null, "t2", 0.5, 1.2)),
                List.of(new EnsembleRecorded.Prefix(1, 0.5, 1.2)), 3_000L));
        bus.publish(Addresses.RUN_ENDED, new RunEnded("t2", RunStatus.STOPPED, "ASHA: ...", System.currentTimeMillis()));
        flush();
        SweepStore sweeps = new SweepStore(db);
        assertThat(sweeps.sweep("s1").orElseThrow().parentId()).isEqualTo("s0");
        assertThat(sweeps.trials("s1")).extracting(SweepStore.Trial::runId).containsExactly(null, "t2");
        SweepStore.Trial second = sweeps.trials("s1").get(1);
        assertThat(second.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(second.objective()).isEqualTo(0.42);
        assertThat(second.stoppedAt()).isEqualTo(1);
        assertThat(sweeps.rungs("s1")).singleElement().satisfies(r -> assertThat(r.threshold()).isEqualTo(0.3));
        assertThat(new EnsembleStore(db).ensemble("t2").orElseThrow().sweepId()).isEqualTo("s1");
        assertThat(new RunQueries(db).find(RunQuery.filter("sweep = 's1' and trial = 2 and ensemble = 'e1'", 10)).runs())
                .extracting(RunSummary::id).containsExactly("t2");
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
        warn("b", 0);
        publish("a", 500, 2_000);
        publish("b", 0, 2_000);
        artifact("b", "filters-2000.png", 2_000);
        warn("a", 2_499);
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
        assertThat(warningSteps("a")).containsExactly(2_499L);
        assertThat(warningSteps("b")).containsExactly(0L);
        assertThat(artifactPaths("b")).containsExactly("b/filters-2000.png");
        assertThat(Files.list(spill)).noneSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".spill"));
    }

    @Test
    void leavesItsQueueOnDiskWhenStoppedWithoutADatabaseAndTheNextStartWritesIt() throws Exception {
        Path spill = dir.resolve("spill");
        StorageVerticle first = deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        String deployment = vertx.deploymentIDs().iterator().next();
        server.stop();
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("c"));
        warn("c", 0);
        publish("c", 0, 3_000);
        artifact("c", "filters-3000.png", 3_000);
        await("every point is queued", () -> first.waitingPoints() == 3_000);
        vertx.undeploy(deployment).await(20, TimeUnit.SECONDS);
        assertThat(Files.list(spill)).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".spill"));

        startServer(port);
        deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        assertThat(steps("c")).isEqualTo(LongStream.range(0, 3_000).boxed().toList());
        assertThat(warningSteps("c")).containsExactly(0L);
        assertThat(artifactPaths("c")).containsExactly("c/filters-3000.png");
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

    @Test
    void writesWarningsAndArtifactsInOrderWithTheRunsStartMetricsAndEnd() throws Exception {
        deploy(new StorageVerticle.Options(100, 50, 1_000, dir.resolve("spill")));
        // a warning right after the start, and an artifact right before the end: written after the run's row
        // exists (no foreign-key refusal) and before its end
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("w"));
        warn("w", 0);
        for (int k = 0; k < 5; k++) {
            publish("w", k * 100L, 100);
            warn("w", k * 100L + 99);
            artifact("w", "filters-" + k + ".png", k * 100L + 99);
        }
        artifact("w", "model.zip", 500);
        vertx.eventBus().publish(Addresses.RUN_ENDED, new RunEnded("w", RunStatus.FINISHED, null, System.currentTimeMillis()));
        assertThat(flush()).isEqualTo(500L);

        assertThat(steps("w")).hasSize(500);
        assertThat(warningSteps("w")).containsExactly(0L, 99L, 199L, 299L, 399L, 499L);
        assertThat(artifactPaths("w")).containsExactly("w/filters-0.png", "w/filters-1.png", "w/filters-2.png",
                "w/filters-3.png", "w/filters-4.png", "w/model.zip");
        assertThat(new RunQueries(db).run("w").orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(dir.resolve("spill").resolve("rejected.jsonl")).doesNotExist();
    }

    @Test
    void keepsAWarningDeliveredTwiceOnceAndUpdatesAReAnnouncedArtifact() throws Exception {
        deploy(new StorageVerticle.Options(100, 50, 1_000, dir.resolve("spill")));
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("d"));
        warn("d", 10);
        warn("d", 10);
        artifact("d", "model.zip", 10);
        flush();
        long id = new RunQueries(db).artifacts("d").get(0).id();
        artifact("d", "model.zip", 20);
        flush();

        assertThat(warningSteps("d")).containsExactly(10L);
        assertThat(new RunQueries(db).artifacts("d")).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.step()).isEqualTo(20L);
            assertThat(a.sizeBytes()).isEqualTo(120L);
        });
    }

    @Test
    void rejectsAWarningOfAnUnknownRunWithoutHoldingUpTheRest() throws Exception {
        Path spill = dir.resolve("spill");
        deploy(new StorageVerticle.Options(100, 50, 1_000, spill));
        warn("nobody", 3);
        artifact("nobody", "x.png", 3);
        vertx.eventBus().publish(Addresses.RUN_STARTED, started("e"));
        warn("e", 4);
        flush();
        assertThat(warningSteps("e")).containsExactly(4L);
        assertThat(Files.readAllLines(spill.resolve("rejected.jsonl")))
                .anySatisfy(l -> assertThat(l).contains("\"type\":\"warning\"").contains("nobody").contains("update ratio"))
                .anySatisfy(l -> assertThat(l).contains("\"type\":\"artifact\"").contains("nobody/x.png"));
    }
}
