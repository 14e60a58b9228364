package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.web.api.LiveStream;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live stream: bus events reach the browser, coalesced to a few messages a second per run. */
class LiveStreamTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void coalescesAFastRunIntoAFewMessagesAndSendsItsPointsBeforeItsEnd() throws Exception {
        try (SseClient sse = new SseClient(stack.http, stack.url("/api/stream?runs=fast"))) {
            stack.startRun("fast", "fast-run", Map.of());
            long t0 = System.nanoTime();
            // 20,000 single-point batches, published as fast as the bus takes them, over about a second
            for (int chunk = 0; chunk < 10; chunk++) {
                stack.metrics("fast", "train_loss", chunk * 2_000, (chunk + 1) * 2_000, s -> 1.0 / (1 + s));
                Thread.sleep(100);
            }
            stack.endRun("fast", RunStatus.FINISHED, null);
            List<SseClient.Event> events = sse.until("run-ended", Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(events.get(0).name()).isEqualTo("run-started");
            assertThat(events.get(0).data().getString("name")).isEqualTo("fast-run");
            List<SseClient.Event> metrics = events.stream().filter(e -> e.name().equals("metrics")).toList();
            double allowed = seconds * 1000 / LiveStream.FLUSH_MILLIS + 2;
            assertThat((double) metrics.size()).as("metric messages in %.2f s", seconds).isBetween(1.0, allowed);
            for (SseClient.Event e : metrics) {
                assertThat(e.data().getJsonObject("metrics").getJsonObject("train_loss").getJsonArray("step").size())
                        .isLessThanOrEqualTo(LiveStream.MAX_POINTS_PER_FLUSH);
            }
            JsonArray lastSteps = metrics.get(metrics.size() - 1).data().getJsonObject("metrics")
                    .getJsonObject("train_loss").getJsonArray("step");
            assertThat(lastSteps.getLong(lastSteps.size() - 1)).as("the last point arrives before the end").isEqualTo(19_999);
            SseClient.Event end = events.get(events.size() - 1);
            assertThat(end.data().getString("status")).isEqualTo("FINISHED");
        }
    }

    @Test
    void followsOnlyTheRunsItWasAskedFor() throws Exception {
        try (SseClient sse = new SseClient(stack.http, stack.url("/api/stream?runs=mine"))) {
            stack.startRun("other", "other-run", Map.of());
            stack.metrics("other", "train_loss", 0, 10, s -> 1.0);
            stack.startRun("mine", "my-run", Map.of());
            stack.metrics("mine", "train_loss", 0, 10, s -> 1.0);
            stack.endRun("mine", RunStatus.FAILED, "out of memory");
            stack.endRun("other", RunStatus.FINISHED, null);
            List<SseClient.Event> events = sse.until("run-ended", Duration.ofSeconds(10));
            events.addAll(sse.drain(Duration.ofMillis(600)));
            assertThat(events).allSatisfy(e -> assertThat(e.data().getString("runId")).isEqualTo("mine"));
            assertThat(events).extracting(SseClient.Event::name).containsExactly("run-started", "metrics", "run-ended");
            assertThat(events.get(2).data().getString("error")).isEqualTo("out of memory");
        }
    }

    @Test
    void leavesMetricsOutOfALifecycleOnlyStream() throws Exception {
        try (SseClient sse = new SseClient(stack.http, stack.url("/api/stream?metrics=false"))) {
            stack.startRun("quiet", "quiet-run", Map.of());
            stack.metrics("quiet", "train_loss", 0, 10, s -> 1.0);
            stack.endRun("quiet", RunStatus.FINISHED, null);
            List<SseClient.Event> events = sse.until("run-ended", Duration.ofSeconds(10));
            assertThat(events).extracting(SseClient.Event::name).containsExactly("run-started", "run-ended");
        }
    }

    @Test
    void refusesAStreamForAMalformedRunId() throws Exception {
        assertThat(stack.get("/api/stream?runs=%3Cx%3E").statusCode()).isEqualTo(400);
    }

    @Test
    void pushesAWarningAsItIsRaisedAfterThePointsBeforeIt() throws Exception {
        try (SseClient sse = new SseClient(stack.http, stack.url("/api/stream?runs=warned"));
             SseClient quiet = new SseClient(stack.http, stack.url("/api/stream?runs=warned&metrics=false"))) {
            stack.startRun("warned", "warned-run", Map.of());
            stack.metrics("warned", "train_loss", 0, 10, s -> 9.0);
            stack.warn("warned", "initial_loss", 9, "initial loss 9.0 is far from ln(10) = 2.30");
            List<SseClient.Event> events = sse.until("run-warning", Duration.ofSeconds(10));
            assertThat(events).extracting(SseClient.Event::name).containsExactly("run-started", "metrics", "run-warning");
            SseClient.Event warning = events.get(2);
            assertThat(warning.data().getString("runId")).isEqualTo("warned");
            assertThat(warning.data().getString("kind")).isEqualTo("initial_loss");
            assertThat(warning.data().getLong("step")).isEqualTo(9);
            assertThat(warning.data().getString("message")).contains("ln(10)");
            assertThat(warning.data().getLong("time")).isPositive();
            assertThat(quiet.until("run-warning", Duration.ofSeconds(10))).extracting(SseClient.Event::name)
                    .containsExactly("run-started", "run-warning");
            stack.endRun("warned", RunStatus.FINISHED, null);
        }
    }
}
