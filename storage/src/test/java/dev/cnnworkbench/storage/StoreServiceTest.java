package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.core.sanity.CheckResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's store over the bus: what {@link BusStoreClient} reads through a real {@link StoreService} on a real H2 is
 * what the store's own queries read, values, NaN and times included; writes land; a bad filter is refused before it is
 * sent; no service on the bus is a clear StorageException.
 */
class StoreServiceTest {

    @TempDir
    Path home;
    Database db;
    Vertx vertx;
    BusStoreClient bus;

    @BeforeEach
    void storeOnTheBus() throws Exception {
        db = Database.openEmbedded(home);
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        vertx.deployVerticle(new StoreService(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .await(30, TimeUnit.SECONDS);
        bus = new BusStoreClient(vertx.eventBus(), "the test hub", Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        db.close();
    }

    @Test
    void readsOverTheBusWhatTheStoreReadsDirectly() throws Exception {
        TestRuns runs = new TestRuns(db);
        runs.run("alpha0000001", "exp", RunStatus.FINISHED, "2026-01-02T03:04:05Z", Map.of("optimizer.lr", 0.01,
                "model.name", "lenet"), Map.of("val_accuracy", 0.75, "grad_norm", Double.NaN));
        runs.run("bravo0000002", "exp", RunStatus.FAILED, "2026-01-03T03:04:05Z", Map.of("optimizer.lr", 0.1),
                Map.of("val_accuracy", 0.5));
        runs.points("alpha0000001", "train_loss", 250, step -> 1.0 / (1 + step));
        runs.writer().insertRun(new RunStarted("trial0000003", "s-trial-1", "s", "{\"name\": \"s\"}", Map.of(),
                Map.of(), 1_700_000_000_000L, 1, "testhost", "u", 0, new SweepTrialRef("s", 1)));
        DirectStoreClient direct = new DirectStoreClient(db);

        RunQuery query = new RunQuery("params.optimizer.lr < 0.05 or status = 'FAILED'", "metrics.val_accuracy", true, 0, 10);
        assertThat(bus.find(query)).isEqualTo(direct.find(query));
        RunSummary alpha = bus.run("alpha0000001").orElseThrow();
        assertThat(alpha).isEqualTo(direct.run("alpha0000001").orElseThrow());
        assertThat(alpha.metrics().get("grad_norm")).isNaN();
        assertThat(bus.run("nosuch000000")).isEmpty();
        assertThat(bus.specAndProvenance("alpha0000001")).isEqualTo(direct.specAndProvenance("alpha0000001"))
                .containsEntry("spec", "{}").containsEntry("provenance", "{\"git\":\"abc\"}");
        assertThat(bus.specAndProvenance("nosuch000000")).isEmpty();
        assertThat(bus.history("alpha0000001", "train_loss")).hasSizeGreaterThanOrEqualTo(250)
                .isEqualTo(direct.history("alpha0000001", "train_loss")).extracting(MetricPoint::step).startsWith(0L, 1L);
        assertThat(bus.anyRunHas("metrics.val_accuracy")).isTrue();
        assertThat(bus.anyRunHas("metrics.nobody_has_it")).isFalse();
        assertThat(bus.trialRuns("s")).containsExactly(new SweepStore.TrialRun("trial0000003", 1));

        bus.writeChecks(new ChecksRecorded("session1", "exp", "{}", null, "u", 1_700_000_000_000L,
                List.of(new CheckResult("initial_loss", CheckResult.Verdict.PASS, 2.31, "2.30", "ok"),
                        new CheckResult("gradient_check", CheckResult.Verdict.SKIP, Double.NaN, "", "no"))));
        assertThat(new SanityCheckStore(db).read("session1")).extracting(SanityCheckStore.Row::checkName)
                .containsExactly("initial_loss", "gradient_check");
    }

    @Test
    void aBadFilterIsRefusedHereAndAGoneHubIsNamed() throws Exception {
        assertThatThrownBy(() -> bus.find(new RunQuery("status = = 1", null, true, 0, 10)))
                .isInstanceOf(FilterException.class);
        vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bus.run("alpha0000001")).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot read the store of the test hub: it is not on the bus");
    }
}
