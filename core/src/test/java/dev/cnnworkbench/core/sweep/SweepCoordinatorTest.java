package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.core.spec.SpecJson;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator and a worker on a real event bus, with a stand-in for training: each "trial" walks a synthetic
 * learning curve set by its learning rate, consulting the stop rules the worker built from the request.
 */
class SweepCoordinatorTest {

    private Vertx vertx;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        dev.cnnworkbench.core.bus.BusCodecs.register(vertx);
        SweepCodecs.register(vertx.eventBus());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static SweepFile sweep(String extra) {
        return SweepFile.of(SpecJson.readTree("""
                {"name": "synthetic", "optimizer": {"type": "sgd", "lr": 0.1}, "train": {"epochs": 9},
                 "sweep": {"trials": 9, "parallel": 2, "seed": 3 %s,
                           "params": {"optimizer.lr": {"uniform": [0, 1]}}}}
                """.formatted(extra), "t"), List.of(), "synthetic");
    }

    /** A trial whose validation accuracy approaches its learning rate; loss rises past 3x when lr > 0.9. */
    private TrialOutcome fakeTraining(TrialRequest request, StopRule rule) {
        int now = running.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            JsonNode spec = SpecJson.readTree(request.specJson(), "t");
            double quality = spec.path("optimizer").path("lr").asDouble();
            int epochs = spec.path("train").path("epochs").asInt();
            String reason = null;
            double acc = 0;
            long iteration = 0;
            for (int e = 0; e < epochs && reason == null; e++) {
                for (int b = 0; b < 3 && reason == null; b++) {
                    double loss = quality > 0.9 ? 1 + iteration : 2.0 / (1 + iteration);
                    reason = rule.afterIteration(e, iteration++, loss);
                }
                Thread.sleep(5);
                acc = quality * (1 - Math.exp(-(e + 1) / 2.0));
                if (reason == null) {
                    reason = rule.afterEpoch(e, Map.of("val_accuracy", acc));
                }
            }
            return new TrialOutcome(request.sweepId(), request.trial(), "run-" + request.trial(),
                    reason == null ? RunStatus.FINISHED : RunStatus.STOPPED, Map.of("val_accuracy", acc), reason);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
    }

    private void deployWorker(TrialExecutor executor, int slots) throws Exception {
        vertx.deployVerticle(new TrialWorker(executor, slots)).await(10, TimeUnit.SECONDS);
    }

    @Test
    void runsEveryTrialWithAtMostParallelTrainingAtOnce() throws Exception {
        deployWorker(this::fakeTraining, 4);
        SweepFile file = sweep(", \"explosion_factor\": 0");
        List<Trial> started = new CopyOnWriteArrayList<>();
        List<TrialResult> ended = new CopyOnWriteArrayList<>();
        List<TrialResult> results = new SweepCoordinator(vertx.eventBus(), file, null, new SweepCoordinator.Listener() {
            @Override
            public void started(Trial trial) {
                started.add(trial);
            }

            @Override
            public void ended(TrialResult result) {
                ended.add(result);
            }
        }).run(file.trials()).await(30, TimeUnit.SECONDS);

        assertThat(results).hasSize(9).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.FINISHED));
        assertThat(results).extracting(r -> r.trial().number()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(started).hasSize(9);
        assertThat(ended).hasSize(9);
        assertThat(mostAtOnce.get()).isEqualTo(2);
        TrialResult one = results.stream().filter(r -> r.trial().number() == 1).findFirst().orElseThrow();
        assertThat(one.runId()).isEqualTo("run-1");
        assertThat(one.objective()).isCloseTo(one.trial().values().get("optimizer.lr").asDouble()
                * (1 - Math.exp(-4.5)), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theExplosionRuleTheWorkerBuildsStopsDivergingTrials() throws Exception {
        deployWorker(this::fakeTraining, 2);
        SweepFile file = sweep("");
        List<TrialResult> results = new SweepCoordinator(vertx.eventBus(), file, null, SweepCoordinator.Listener.NONE)
                .run(file.trials()).await(30, TimeUnit.SECONDS);
        for (TrialResult r : results) {
            boolean diverges = r.trial().values().get("optimizer.lr").asDouble() > 0.9;
            assertThat(r.status()).isEqualTo(diverges ? RunStatus.STOPPED : RunStatus.FINISHED);
            if (diverges) {
                assertThat(r.reason()).startsWith("loss exploded: 4.000 > 3 x initial loss 1.000 at iteration 3");
            }
        }
        assertThat(results).anySatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.STOPPED));
    }

    @Test
    void trialsAreJudgedAtRungsByTheCoordinatorsTableOverTheBus() throws Exception {
        deployWorker(this::fakeTraining, 2);
        SweepFile file = sweep(", \"explosion_factor\": 0, \"early_stop\": {\"type\": \"asha\", \"min_epochs\": 1, \"eta\": 3}");
        RungTable table = new RungTable(file.sweep().earlyStop(), file.sweep().objective());
        List<TrialResult> results = new SweepCoordinator(vertx.eventBus(), file, table, SweepCoordinator.Listener.NONE)
                .run(file.trials()).await(30, TimeUnit.SECONDS);

        assertThat(table.rung(1)).hasSize(9);
        assertThat(table.rung(3).size()).isLessThan(9);
        List<TrialResult> stopped = results.stream().filter(r -> r.status() == RunStatus.STOPPED).toList();
        assertThat(stopped).isNotEmpty().allSatisfy(r -> assertThat(r.reason()).startsWith("ASHA: val_accuracy"));
        // the best trial is never stopped
        TrialResult best = TrialResult.ranked(results, file.sweep().objective()).get(0);
        double bestLr = file.trials().stream().mapToDouble(t -> t.values().get("optimizer.lr").asDouble()).max()
                .orElseThrow();
        assertThat(best.trial().values().get("optimizer.lr").asDouble()).isEqualTo(bestLr);
        // the rung consumer is gone once the sweep is done
        assertThat(vertx.eventBus().request(SweepAddresses.rung(file.id()), new RungReport("synthetic", 1, 1, 0.5))
                .toCompletionStage().toCompletableFuture()).failsWithin(5, TimeUnit.SECONDS);
    }

    @Test
    void aTrialNoWorkerCouldRunIsAFailedResult() throws Exception {
        deployWorker((request, rule) -> {
            throw new IllegalStateException("out of memory");
        }, 1);
        SweepFile file = sweep("");
        List<TrialResult> results = new SweepCoordinator(vertx.eventBus(), file, null, SweepCoordinator.Listener.NONE)
                .run(file.trials().subList(0, 2)).await(30, TimeUnit.SECONDS);
        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.runId()).isNull();
            assertThat(r.reason()).contains("could not run: out of memory");
        });
    }

    @Test
    void withoutAnyWorkerEveryTrialFailsAtOnce() throws Exception {
        SweepFile file = sweep("");
        List<TrialResult> results = new SweepCoordinator(vertx.eventBus(), file, null, SweepCoordinator.Listener.NONE)
                .run(file.trials()).await(30, TimeUnit.SECONDS);
        assertThat(results).hasSize(9).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.FAILED));
        assertThat(results.get(0).reason()).containsIgnoringCase("no handlers");
    }

    @Test
    void anEmptyListOfTrialsCompletesAtOnce() throws Exception {
        SweepFile file = sweep("");
        assertThat(new SweepCoordinator(vertx.eventBus(), file, null, SweepCoordinator.Listener.NONE)
                .run(List.of()).await(5, TimeUnit.SECONDS)).isEmpty();
    }
}
