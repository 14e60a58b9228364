package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.worker.WorkQueue;
import dev.cnnworkbench.core.worker.WorkerNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/workers}: what the hub's work queue knows of its workers, or an empty list on a server without one. */
class WorkerApiTest {

    @TempDir
    Path home;

    @Test
    void listsTheWorkersThatBeatWithHostThreadsAndLastHeartbeat() throws Exception {
        try (TestStack stack = TestStack.start(home)) {
            SweepCodecs.register(stack.vertx.eventBus());
            stack.vertx.deployVerticle(new WorkQueue(home)).await(10, TimeUnit.SECONDS);
            stack.vertx.deployVerticle(new WorkerNode("w1", null, 3, home,
                    job -> new TrialOutcome(null, 0, job.runId(), RunStatus.FINISHED, Map.of(), null), () -> { }))
                    .await(10, TimeUnit.SECONDS);
            JsonObject body = null;
            for (int i = 0; i < 100; i++) {
                body = new JsonObject(stack.get("/api/workers").body());
                if (!body.getJsonArray("workers").isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(body.getBoolean("hub")).isTrue();
            JsonObject w = body.getJsonArray("workers").getJsonObject(0);
            assertThat(w.getString("id")).isEqualTo("w1");
            assertThat(w.getInteger("threads")).isEqualTo(3);
            assertThat(w.getJsonArray("runs")).isEmpty();
            assertThat(w.getString("host")).isNotBlank();
            assertThat(w.getString("last_heartbeat")).endsWith("Z");
            assertThat(w.getDouble("seconds_since_heartbeat")).isBetween(0.0, 5.0);
        }
    }

    @Test
    void aServerWithoutAWorkQueueListsNoWorkers() throws Exception {
        try (TestStack stack = TestStack.start(home)) {
            JsonObject body = new JsonObject(stack.get("/api/workers").body());
            assertThat(body.getBoolean("hub")).isFalse();
            assertThat(body.getJsonArray("workers")).isEmpty();
        }
    }
}
