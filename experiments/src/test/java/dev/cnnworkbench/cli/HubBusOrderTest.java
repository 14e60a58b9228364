package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.TrackedRun;
import io.vertx.core.eventbus.impl.clustered.ClusteredEventBus;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's runs keep their order on their way to its store: what the hub's process publishes goes on a bus that is no
 * cluster's (a clustered bus looks up each address's listeners on first use, so a run's end could overtake its
 * start), while its work queue stays on the cluster for workers. Each run below is published start, points, end, at
 * once after the hub started (first use of every address), and must be recorded whole.
 */
class HubBusOrderTest {

    @TempDir
    Path dir;

    @Test
    void runsPublishedInTheHubAreRecordedInTheOrderTheyWerePublished() throws Exception {
        HomeOptions options = new HomeOptions();
        options.home = dir.resolve("home");
        try (LocalStack stack = LocalStack.startOwner(options)) {
            assertThat(stack.bus()).as("the hub's local bus").isNotInstanceOf(ClusteredEventBus.class);
            assertThat(((VertxInternal) stack.workVertx()).isClustered()).as("the hub's work bus").isTrue();
            assertThat(stack.joinedCluster()).isEmpty();

            List<String> ids = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (int i = 0; i < 20; i++) {
                String id = TrackedRun.newId();
                ids.add(id);
                stack.bus().publish(Addresses.RUN_STARTED, new RunStarted(id, "order-" + i, "order", "{}", Map.of(),
                        Map.of(), now, ProcessHandle.current().pid(), "tester", "host"));
                stack.bus().publish(Addresses.METRICS, new MetricBatch(id, List.of(
                        new MetricPoint("train_loss", 0, 0, now, 1.0), new MetricPoint("train_loss", 1, 0, now, 0.5))));
                stack.bus().publish(Addresses.RUN_ENDED, new RunEnded(id, RunStatus.FINISHED, null, now + 1));
            }
            assertThat(stack.flush(java.time.Duration.ofSeconds(60))).isEqualTo(40);
            for (String id : ids) {
                assertThat(stack.queries().run(id).orElseThrow().status()).as(id).isEqualTo(RunStatus.FINISHED);
                assertThat(stack.queries().history(id, "train_loss")).as(id).hasSize(2);
            }
        }
    }
}
