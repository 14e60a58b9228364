package dev.cnnworkbench.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.sweep.JobAccepted;
import dev.cnnworkbench.core.sweep.RunRequest;
import dev.cnnworkbench.core.sweep.SweepAddresses;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.sweep.TrialRequest;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkJob;
import dev.cnnworkbench.core.sweep.WorkerList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's queue and workers on a real event bus, with a stand-in for training (each job records who trained it);
 * a worker that falls silent is lost, and its job goes on elsewhere from the checkpoint the hub holds.
 */
class WorkQueueTest {

    @TempDir
    Path home;
    private Vertx vertx;
    private final Map<String, List<WorkJob>> trainedBy = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        SweepCodecs.register(vertx.eventBus());
        vertx.deployVerticle(new WorkQueue(home, Duration.ofMillis(1_500))).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private String worker(String id, int threads, WorkerNode.Executor executor) throws Exception {
        return vertx.deployVerticle(new WorkerNode(id, null, threads, home, job -> {
            trainedBy.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(job);
            return executor.execute(job);
        }, () -> { })).await(10, TimeUnit.SECONDS);
    }

    private static TrialOutcome finished(WorkJob job) {
        return new TrialOutcome(job.trial().sweepId(), job.trial().trial(), job.runId(), RunStatus.FINISHED,
                Map.of("val_accuracy", 0.5), null);
    }

    private Future<TrialOutcome> trial(int n) {
        return vertx.eventBus().<TrialOutcome>request(SweepAddresses.TRIAL_RUN,
                        new TrialRequest("s", n, "{}", "val_accuracy", 0, null, "ann"),
                        new DeliveryOptions().setSendTimeout(60_000))
                .map(m -> m.body());
    }

    @Test
    void spreadsTrialsOverTheWorkersFreeThreads() throws Exception {
        CountDownLatch bothBusy = new CountDownLatch(2);
        WorkerNode.Executor slow = job -> {
            bothBusy.countDown();
            try {
                bothBusy.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return finished(job);
        };
        worker("a", 1, slow);
        worker("b", 1, slow);
        awaitWorkers(2);
        List<TrialOutcome> outcomes = Future.all(List.of(trial(1), trial(2), trial(3), trial(4)))
                .await(30, TimeUnit.SECONDS).list();
        assertThat(outcomes).extracting(TrialOutcome::status).containsOnly(RunStatus.FINISHED);
        assertThat(outcomes).extracting(TrialOutcome::trial).containsExactlyInAnyOrder(1, 2, 3, 4);
        // the first two ran at once (each waited for the other), so on both workers; the rest went to whichever was free
        assertThat(trainedBy.get("a")).isNotEmpty();
        assertThat(trainedBy.get("b")).isNotEmpty();
        assertThat(trainedBy.get("a").size() + trainedBy.get("b").size()).isEqualTo(4);
        assertThat(trainedBy.get("a").get(0).user()).isEqualTo("ann");
    }

    @Test
    void aSilentWorkersRunIsInterruptedAndResumedElsewhereFromItsCheckpoint() throws Exception {
        List<RunEnded> ended = new CopyOnWriteArrayList<>();
        vertx.eventBus().<RunEnded>consumer(Addresses.RUN_ENDED, m -> ended.add(m.body()));
        CountDownLatch training = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        String doomed = worker("doomed", 1, job -> {
            try {
                Path dir = RunArtifacts.dir(home, job.runId());
                Files.createDirectories(dir);
                Files.writeString(RunArtifacts.checkpoint(dir, 1), "epoch 1");
                Files.writeString(RunArtifacts.checkpoint(dir, 2), "epoch 2");
                training.countDown();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            while (!released.get()) { // deaf to interrupts: a machine that is gone does not answer
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    // keeps "training"
                }
            }
            return finished(job);
        });
        awaitWorkers(1);
        Future<TrialOutcome> outcome = trial(7);
        assertThat(training.await(10, TimeUnit.SECONDS)).isTrue();
        worker("rescuer", 1, WorkQueueTest::finished);
        long killedAt = System.nanoTime();
        vertx.undeploy(doomed); // its beats stop, as if its machine were gone

        TrialOutcome o;
        try {
            o = outcome.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            released.set(true); // its late end is stale: the hub gave the job to the rescuer
        }
        assertThat((System.nanoTime() - killedAt) / 1e9).isLessThan(10);
        WorkJob first = trainedBy.get("doomed").get(0);
        WorkJob second = trainedBy.get("rescuer").get(0);
        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.files()).containsExactly("checkpoint-epoch-002.zip");
        assertThat(second.resumes()).isTrue();
        assertThat(o.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(o.runId()).isEqualTo(first.runId());
        assertThat(ended).singleElement().satisfies(e -> {
            assertThat(e.runId()).isEqualTo(first.runId());
            assertThat(e.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(e.error()).contains("doomed", "no heartbeat", "continues on another worker");
        });
    }

    @Test
    void aQueuedRunWaitsForAWorkerAndItsIdIsFixedAtOnce() throws Exception {
        JobAccepted accepted = vertx.eventBus().<JobAccepted>request(WorkAddresses.SUBMIT, new RunRequest("{}", "bo"))
                .await(10, TimeUnit.SECONDS).body();
        assertThat(accepted.workers()).isZero();
        CountDownLatch ran = new CountDownLatch(1);
        worker("late", 2, job -> {
            ran.countDown();
            return new TrialOutcome(null, 0, job.runId(), RunStatus.FINISHED, Map.of(), null);
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(trainedBy.get("late").get(0).runId()).isEqualTo(accepted.runId());
        assertThat(trainedBy.get("late").get(0).trial()).isNull();
        WorkerList list = awaitWorkers(1);
        assertThat(list.workers().get(0).beat().threads()).isEqualTo(2);
    }

    private WorkerList awaitWorkers(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            WorkerList list = vertx.eventBus().<WorkerList>request(WorkAddresses.WORKERS, "").await(5, TimeUnit.SECONDS)
                    .body();
            if (list.workers().size() >= n || System.currentTimeMillis() > deadline) {
                return list;
            }
            Thread.sleep(50);
        }
    }
}
