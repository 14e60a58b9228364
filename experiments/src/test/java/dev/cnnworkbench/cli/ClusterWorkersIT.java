package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.WorkHub;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.sweep.SweepCoordinator;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.TrialResult;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkerList;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StoredArtifact;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JVMs on 127.0.0.1: this JVM is the hub (a clustered bus with the home's cluster key, a real H2 store, the work
 * queue); two {@code workbench worker} processes, each with a home of its own, join it and train a small sweep. One is
 * killed with SIGKILL once a trial of its has a checkpoint on the hub: the hub notices within seconds, records that run
 * INTERRUPTED, and the other worker resumes it from the checkpoint into the same run, which ends FINISHED with every
 * training step recorded once.
 */
class ClusterWorkersIT {

    static final String SWEEP = """
            {"name": "cluster-sweep",
             "data": {"dataset": "fashion-mnist", "limit": 400, "test_limit": 100},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 3, "batch": 20, "seed": 5, "validation": 100},
             "sweep": {"method": "random", "trials": 3, "parallel": 2, "seed": 11,
                       "objective": {"metric": "val_accuracy"},
                       "params": {"optimizer.lr": {"loguniform": [1e-4, 1e-2]}}}}
            """;

    @TempDir
    Path dir;

    @Test
    void aSweepSpreadsOverWorkersAndAKilledWorkersTrialResumesElsewhereWhole() throws Exception {
        Path home = dir.resolve("hub");
        List<RunStarted> starts = new CopyOnWriteArrayList<>();
        List<RunEnded> ends = new CopyOnWriteArrayList<>();
        java.util.Map<String, Long> interruptedAt = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<RunArtifact> firstCheckpoint = new CompletableFuture<>();
        List<WorkbenchProcess> workers = new ArrayList<>();
        HomeOptions options = new HomeOptions();
        options.home = home;
        try (LocalStack hub = LocalStack.startOwner(options)) { // the hub exactly as serve makes it
            var bus = hub.workVertx().eventBus();
            var local = hub.bus();
            String join = hub.joinAddress().orElseThrow();
            String key = LocalStack.clusterKey(home).cert().getParent().toString();
            local.<RunStarted>consumer(Addresses.RUN_STARTED, m -> starts.add(m.body()));
            local.<RunEnded>consumer(Addresses.RUN_ENDED, m -> {
                ends.add(m.body());
                if (m.body().status() == RunStatus.INTERRUPTED) {
                    interruptedAt.putIfAbsent(m.body().runId(), System.nanoTime());
                }
            });
            local.<RunArtifact>consumer(Addresses.RUN_ARTIFACT, m -> {
                if (m.body().kind().equals("checkpoint") && m.body().path().endsWith("checkpoint-epoch-001.zip")) {
                    firstCheckpoint.complete(m.body());
                }
            });
            ProcessBuses buses = WorkHub.on(hub).buses();
            for (int i = 0; i < 2; i++) {
                workers.add(WorkbenchProcess.start(List.of("worker", "--join", join, "--threads", "1",
                        "--home", dir.resolve("worker-" + i).toString(), "--key", key)));
            }
            for (WorkbenchProcess w : workers) {
                w.awaitLine(l -> l.contains("joined the hub"), Duration.ofSeconds(120));
            }

            SweepFile file = SweepFile.of(SpecJson.readTree(SWEEP, "it"), List.of(), "it");
            CompletableFuture<List<TrialResult>> results = new SweepCoordinator(buses, file, null,
                    SweepCoordinator.Listener.NONE, "tester").run(file.trials()).toCompletionStage().toCompletableFuture();

            RunArtifact checkpoint = firstCheckpoint.get(240, TimeUnit.SECONDS);
            String victimRun = checkpoint.runId();
            long victimPid = starts.stream().filter(s -> s.runId().equals(victimRun)).findFirst().orElseThrow().pid();
            WorkbenchProcess victim = workers.stream().filter(w -> w.pid() == victimPid).findFirst().orElseThrow();
            long killedAt = System.nanoTime();
            victim.kill();

            List<TrialResult> done = results.get(400, TimeUnit.SECONDS);
            assertThat(done).extracting(TrialResult::status).as(workers.get(0).stderr() + "\n" + workers.get(1).stderr())
                    .containsOnly(RunStatus.FINISHED);

            // noticed within seconds, and recorded INTERRUPTED before it continued
            RunEnded interrupted = ends.stream().filter(e -> e.runId().equals(victimRun)
                    && e.status() == RunStatus.INTERRUPTED).findFirst().orElseThrow();
            assertThat(interrupted.error()).contains("continues on another worker");
            double noticedAfter = (interruptedAt.get(victimRun) - killedAt) / 1e9;
            System.err.printf("worker killed: its run %s recorded INTERRUPTED after %.1f s%n", victimRun, noticedAfter);
            assertThat(noticedAfter).isLessThan(15);

            // spread over both workers; the victim's run resumed in the other one, after a checkpoint
            Set<Long> pids = starts.stream().map(RunStarted::pid).collect(Collectors.toSet());
            assertThat(pids).hasSize(2);
            List<RunStarted> victimStarts = starts.stream().filter(s -> s.runId().equals(victimRun)).toList();
            assertThat(victimStarts).hasSize(2);
            assertThat(victimStarts.get(1).resumedAfterEpoch()).isGreaterThanOrEqualTo(1);
            assertThat(victimStarts.get(1).pid()).isNotEqualTo(victimPid);

            RunQueries queries = hub.queries();
            assertThat(queries.run(victimRun).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
            List<Long> steps = queries.history(victimRun, "train_loss").stream().map(MetricPoint::step).toList();
            assertThat(steps).hasSize(3 * 20); // 3 epochs of 400/20 batches
            for (int i = 0; i < steps.size(); i++) {
                assertThat(steps.get(i)).as("step %d of the resumed run", i).isEqualTo(i);
            }
            // the files trained on the workers are in the hub's home, as indexed
            for (TrialResult r : done) {
                StoredArtifact model = queries.artifacts(r.runId()).stream().filter(a -> a.kind().equals("model"))
                        .findFirst().orElseThrow();
                Path onHub = home.resolve("artifacts").resolve(model.path());
                assertThat(onHub).exists();
                assertThat(BusSink.sha256(onHub)).isEqualTo(model.sha256());
            }
            WorkerList list = bus.<WorkerList>request(WorkAddresses.WORKERS, "").await(10, TimeUnit.SECONDS).body();
            assertThat(list.workers()).hasSize(1);
        } finally {
            for (WorkbenchProcess w : workers) {
                if (w.isAlive()) {
                    w.kill();
                }
            }
        }
    }
}
