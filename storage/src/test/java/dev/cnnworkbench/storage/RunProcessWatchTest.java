package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run another process of this machine started is ended {@code INTERRUPTED} once that process is gone, unless the
 * run trains a work queue's job: the queue, hearing its worker's heartbeats, is the one to end it and say where it
 * continues (two ends racing left the first, less useful, reason recorded).
 */
class RunProcessWatchTest {

    @Test
    void endsARunWhoseProcessIsGoneButLeavesAWorkQueuesRunToItsQueue() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx);
            List<RunEnded> ends = new CopyOnWriteArrayList<>();
            vertx.eventBus().<RunEnded>localConsumer(Addresses.RUN_ENDED, m -> ends.add(m.body()))
                    .completion().await(5, TimeUnit.SECONDS);
            RunProcessWatch watch = new RunProcessWatch("h1");
            watch.track(started("plain", gone.pid(), "h1", Map.of()));
            watch.track(started("job", gone.pid(), "h1", Map.of(RunStarted.WORK_JOB, "j-1")));
            watch.track(started("elsewhere", gone.pid(), "h2", Map.of()));
            watch.track(started("ended", gone.pid(), "h1", Map.of()));
            watch.track(new RunEnded("ended", RunStatus.FINISHED, null, 1L));

            vertx.runOnContext(v -> watch.endTheOrphans(vertx.eventBus()));
            long deadline = System.currentTimeMillis() + 5_000;
            while (ends.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            assertThat(ends).extracting(RunEnded::runId).containsExactly("plain");
            assertThat(ends.get(0).status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(ends.get(0).error()).contains("(" + gone.pid() + " on h1)").contains("without recording an end");

            ends.clear();
            vertx.runOnContext(v -> watch.endTheOrphans(vertx.eventBus()));
            Thread.sleep(300);
            assertThat(ends).as("an orphan is ended once").isEmpty();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static RunStarted started(String id, long pid, String host, Map<String, String> provenance) {
        return new RunStarted(id, id, "exp", "{}", Map.of(), provenance, 1L, pid, host, "tester");
    }
}
