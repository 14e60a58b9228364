package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.WorkHub;
import dev.cnnworkbench.cluster.ClusterKey;
import dev.cnnworkbench.cluster.ClusterMember;
import dev.cnnworkbench.cluster.ClusterOptions;
import dev.cnnworkbench.cluster.HubLink;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.sweep.SweepCoordinator;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.TrialResult;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkerList;
import dev.cnnworkbench.storage.RunQueries;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code workbench bench cluster}: what workers buy and cost, measured on this machine in one run. This process is
 * the hub ({@link LocalStack#startOwner}, as serve makes it: a fresh cluster key, an embedded H2 store, the work
 * queue); workers are real {@code workbench worker} JVMs on 127.0.0.1 with one job and one core each and homes of
 * their own (so every file is copied to the hub, as from another machine).
 * <ol>
 *   <li>Speed-up: the same {@code trials}-trial sweep (tiny network, {@code limit} images, one epoch) on 1 worker and
 *   on 2 workers, alternated for {@code rounds} rounds (the second worker is stopped for the 1-worker sweeps, and
 *   trains a 2-trial warm-up sweep with the first after each start); wall time from the first trial sent to the last
 *   result, median per setting, and their ratio.</li>
 *   <li>Ingest: metric points (3 per message, as a trainer sends them) published in a second cluster member, handed
 *   on by its HubLink, and stored by the hub, until the hub's store acknowledges them all, against the same points published on the hub's
 *   own bus (the embedded path), alternated; points/s and ratio.</li>
 *   <li>Cost per training step: the examples/s of the trials a worker trained alone (1-worker rounds) against the same
 *   spec trained on one core in this process ({@link TrackedRun} on the hub's local bus), median of each; the ratio local/worker is
 *   how much longer a step takes on a worker.</li>
 * </ol>
 */
final class ClusterBench {

    /** {@code pin}: worker k runs on CPU k alone ({@link WorkbenchProcess#startOnCpu}). */
    record Settings(int trials, int rounds, int limit, int ingestPoints, boolean pin, Path work, PrintStream out) {
    }

    private static final String SPEC = """
            {"name": "bench-cluster-%d",
             "data": {"dataset": "fashion-mnist", "limit": %d, "test_limit": 200},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 8, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "dense", "units": 32, "activation": "relu"},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 1, "batch": 50, "seed": 5, "validation": 100},
             "sweep": {"method": "random", "trials": %d, "parallel": %d, "seed": %d,
                       "objective": {"metric": "val_accuracy"},
                       "params": {"optimizer.lr": {"loguniform": [1e-4, 1e-2]}}}}
            """;

    private ClusterBench() {
    }

    static void run(Settings s) throws Exception {
        PrintStream out = s.out();
        Path home = s.work().resolve("hub");
        out.printf("bench cluster: %d-trial sweeps (%d images, 1 epoch each) on workers of 1 core each (%s), %d rounds;"
                + " load average %.2f on %d cores%n", s.trials(), s.limit(),
                s.pin() ? "worker k pinned to CPU k" : "not pinned: their JVMs' other threads use any core", s.rounds(),
                load(), Runtime.getRuntime().availableProcessors());
        List<WorkbenchProcess> workers = new ArrayList<>();
        HomeOptions options = new HomeOptions();
        options.home = home;
        try (LocalStack hub = LocalStack.startOwner(options)) { // the hub exactly as serve makes it
            String join = hub.joinAddress().orElseThrow(() -> new IllegalStateException("the hub has no cluster"));
            ClusterKey key = LocalStack.clusterKey(home);
            EventBus bus = hub.workVertx().eventBus();
            EventBus local = hub.bus();
            ProcessBuses buses = WorkHub.on(hub).buses();
            workers.add(worker(s, join, key, 0));
            workers.add(worker(s, join, key, 1));
            awaitWorkers(bus, 2);
            sweep(buses, s, 100, 2); // warm-up: each worker reads its data once, the JIT warms
            List<Double> one = new ArrayList<>();
            List<Double> two = new ArrayList<>();
            List<Double> workerEps = new ArrayList<>();
            RunQueries queries = hub.queries();
            for (int k = 1; k <= s.rounds(); k++) {
                int round = k;
                stop(workers.remove(1));
                awaitWorkers(bus, 1);
                List<TrialResult> alone = new ArrayList<>();
                one.add(timed(() -> alone.addAll(sweep(buses, s, round * 10, s.trials()))));
                alone.forEach(r -> queries.run(r.runId()).map(x -> x.metrics().get("examples_per_second"))
                        .ifPresent(workerEps::add));
                workers.add(worker(s, join, key, 1));
                awaitWorkers(bus, 2);
                sweep(buses, s, 100 + round, 2); // the restarted worker trains once before it is timed
                double hubCpu = hubCpuSeconds();
                two.add(timed(() -> sweep(buses, s, round * 10 + 1, s.trials())));
                out.printf("round %d: 1 worker %.1f s, 2 workers %.1f s (the hub's process used %.1f CPU-s of it)%n",
                        round, one.get(one.size() - 1), two.get(two.size() - 1), hubCpuSeconds() - hubCpu);
            }
            double t1 = median(one);
            double t2 = median(two);
            out.printf("speed-up: %d trials in %.1f s on 1 worker, %.1f s on 2 workers (medians): %.2fx%n", s.trials(), t1,
                    t2, t1 / t2);

            List<Double> localEps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                localEps.add(localRun(local, s, home));
            }
            double w = median(workerEps);
            double l = median(localEps);
            out.printf("cost per training step: %.0f examples/s in this process, %.0f on a worker (medians of %d and %d"
                    + " runs): a worker's step takes %.2fx a local one's%n", l, w, localEps.size(), workerEps.size(), l / w);

            for (WorkbenchProcess p : workers) {
                stop(p);
            }
            workers.clear();
            ingest(s, join, key, local, out);
            out.printf("load average at the end: %.2f%n", load());
        } finally {
            for (WorkbenchProcess p : workers) {
                stop(p);
            }
        }
    }

    private static WorkbenchProcess worker(Settings s, String join, ClusterKey key, int n) throws Exception {
        List<String> args = List.of("worker", "--join", join, "--threads", "1", "--cores", "1",
                "--home", s.work().resolve("worker-" + n).toString(), "--key", key.cert().getParent().toString());
        WorkbenchProcess p = s.pin() ? WorkbenchProcess.startOnCpu(n % Runtime.getRuntime().availableProcessors(), args)
                : WorkbenchProcess.start(args);
        p.awaitLine(l -> l.contains("joined the hub"), Duration.ofSeconds(180));
        return p;
    }

    /** Stops a worker as Ctrl-C does; it leaves the cluster. */
    private static void stop(WorkbenchProcess p) throws Exception {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
        try {
            p.waitFor(Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            // killed by waitFor
        }
    }

    private static void awaitWorkers(EventBus bus, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (bus.<WorkerList>request(WorkAddresses.WORKERS, "").await(10, TimeUnit.SECONDS).body().workers().size() != n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub does not list " + n + " worker(s) after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static List<TrialResult> sweep(ProcessBuses buses, Settings s, int seed, int trials) throws Exception {
        int parallel = 2;
        SweepFile file = SweepFile.of(SpecJson.readTree(SPEC.formatted(seed, s.limit(), trials, parallel, seed), "bench"),
                List.of(), "bench");
        List<TrialResult> results = new SweepCoordinator(buses, file, null, SweepCoordinator.Listener.NONE, "bench")
                .run(file.trials()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.MINUTES);
        for (TrialResult r : results) {
            if (r.status() != RunStatus.FINISHED) {
                throw new IllegalStateException("trial " + r.trial().number() + " " + r.status() + ": " + r.reason());
            }
        }
        return results;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static double timed(Body body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The bench spec (first trial's values) trained in this process on 1 core, as a worker's; its examples/s. */
    private static double localRun(EventBus bus, Settings s, Path home) {
        dev.cnnworkbench.core.engine.NativeBackend.limitThreads(1);
        SweepFile file = SweepFile.of(SpecJson.readTree(SPEC.formatted(7, s.limit(), 1, 1, 7), "bench"), List.of(), "bench");
        var experiment = new SpecResolver(PluginRegistry.builtin()).resolve(new SpecParser().parse(
                file.trialSpec(file.trials().get(0)), List.of(), "bench"));
        return new TrackedRun(bus, experiment, "bench", home).execute(TrainingProgress.NONE).finalMetrics()
                .get("examples_per_second");
    }

    /**
     * Points/s stored by the hub, published in another member of its cluster (handed on by its HubLink, as a joined
     * command's are) and on the hub's own local bus, alternated.
     */
    private static void ingest(Settings s, String join, ClusterKey key, EventBus hubBus, PrintStream out)
            throws Exception {
        Vertx joined = Vertx.vertx();
        BusCodecs.register(joined);
        try (ClusterMember member = ClusterMember.start(ClusterOptions.joining(join), key,
                Duration.ofSeconds(60))) {
            joined.deployVerticle(HubLink.toHub(join, member)).await(30, TimeUnit.SECONDS);
            List<Double> remote = new ArrayList<>();
            List<Double> local = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                remote.add(publish(joined.eventBus(), s.ingestPoints()));
                local.add(publish(hubBus, s.ingestPoints()));
            }
            double r = median(remote);
            double l = median(local);
            out.printf("ingest: %.0f points/s from another cluster member (its HubLink, TLS bus), %.0f points/s embedded"
                    + " (the hub's own bus), medians of 3 x %d points: %.2fx the embedded figure%n", r, l,
                    s.ingestPoints(), r / l);
        } finally {
            joined.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** Publishes a run and {@code points} points on {@code bus}, 3 per message; points/s until the store has them all. */
    private static double publish(EventBus bus, int points) throws Exception {
        String runId = TrackedRun.newId();
        bus.publish(Addresses.RUN_STARTED, new RunStarted(runId, "ingest-" + runId, "bench-ingest", "{}", Map.of(),
                Map.of(), System.currentTimeMillis(), ProcessHandle.current().pid(), "bench", "bench"));
        bus.request(Addresses.RUN_RECORDED, runId).await(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        for (int step = 0; step < points / 3; step++) {
            bus.publish(Addresses.METRICS, new MetricBatch(runId, List.of(new MetricPoint("train_loss", step, 0, now, 1.0 / (step + 1)),
                    new MetricPoint("train_accuracy", step, 0, now, 0.5), new MetricPoint("lr", step, 0, now, 1e-3))));
        }
        bus.request(Addresses.STORAGE_FLUSH, runId, new DeliveryOptions().setSendTimeout(600_000))
                .await(10, TimeUnit.MINUTES);
        return (points / 3 * 3) / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** CPU time of this process (the hub), all threads, in seconds. */
    private static double hubCpuSeconds() {
        return dev.cnnworkbench.core.bench.TrainBenchmark.processCpuNanos() / 1e9;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
