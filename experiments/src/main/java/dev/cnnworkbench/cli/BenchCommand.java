package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.bench.ChildRuns;
import dev.cnnworkbench.cli.bench.CrashSoak;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.core.bench.DiagnosticsBenchmark;
import dev.cnnworkbench.core.bench.TrainBenchmark;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.storage.bench.StorageBenchmark;
import dev.cnnworkbench.web.bench.DashboardBenchmark;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench bench ...}: the benchmarks the project keeps, each reported against a baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the project's benchmarks.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Profile.class, BenchCommand.Ensemble.class,
            BenchCommand.Sweep.class, BenchCommand.Memory.class, BenchCommand.DiagnosticsCost.class, BenchCommand.Storage.class,
            BenchCommand.Dashboard.class, BenchCommand.Mlflow.class, BenchCommand.Crash.class,
            BenchCommand.Data.class, BenchCommand.Cluster.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("choose a benchmark: bench train, bench profile, bench ensemble, bench sweep, bench memory,"
                + " bench diagnostics, bench storage, bench dashboard, bench mlflow, bench crash, bench data, bench cluster"
                + " (see bench <name> --help)");
    }

    /** The model, batch size and rounds every training benchmark takes. */
    static final class ModelOptions {

        @Option(names = "--model", defaultValue = "lenet5", description = "spec under experiments/ (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--batch", defaultValue = "64", description = "mini-batch size (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--rounds", defaultValue = "5", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        /** The checkout the launcher runs from. */
        static Path repo() {
            return Path.of(System.getProperty("workbench.repo", "."));
        }

        /** The spec file of {@code --model}. */
        Path spec() {
            return specFile(repo(), model);
        }

        /** The spec file of {@code model} in the checkout {@code repo}. */
        static Path specFile(Path repo, String model) {
            return repo.resolve("experiments").resolve(model.equals("lenet5") ? "lenet5-fashion.json" : model + ".json");
        }
    }

    /** Runs {@code benchmark} on the event bus of a Vert.x instance of its own (codecs registered), then closes it. */
    private static int withEventBus(java.util.function.Consumer<EventBus> benchmark) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx);
            benchmark.accept(vertx.eventBus());
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        return 0;
    }

    /** Training throughput: raw DL4J vs tracked workbench vs PyTorch, interleaved. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Examples/s of raw DL4J fit, the tracked workbench run and (if python3-torch is installed)"
                    + " PyTorch, interleaved; ratios, time to first step, peak memory, batch-size sweep. PyTorch twins"
                    + " exist for lenet5, cifar10-vgg and cifar10-resnet (their parameter counts are checked equal);"
                    + " the CIFAR-10 specs run on synthetic data of that shape unless data.path exists.")
    static final class Train implements Callable<Integer> {

        @Mixin
        ModelOptions m;

        @Option(names = "--iterations", defaultValue = "40", description = "measured iterations per round (default: ${DEFAULT-VALUE})")
        int iterations;

        @Option(names = "--batch-sizes", split = ",", defaultValue = "32,64,128,256",
                description = "batch sizes for the raw throughput sweep (default: ${DEFAULT-VALUE})")
        List<Integer> batchSizes;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() throws Exception {
            String python = pythonWithTorch();
            TrainBenchmark.Baseline torch = python == null ? null : Torch.twin(python, ModelOptions.repo(), m.model);
            return withEventBus(bus -> TrainBenchmark.run(new TrainBenchmark.Settings(m.spec(), m.batch, iterations,
                    m.rounds, batchSizes, bus), torch, System.out));
        }

        /** Debian's python3 (where python3-torch installs) or the one on the PATH, whichever imports torch. */
        static String pythonWithTorch() {
            for (String python : List.of("/usr/bin/python3", "python3")) {
                try {
                    if (new ProcessBuilder(python, "-c", "import torch").start().waitFor() == 0) {
                        return python;
                    }
                } catch (java.io.IOException e) {
                    // not installed under this name; try the next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }
    }

    /** Where a tracked training step's time goes, by phase. */
    @Command(name = "profile", mixinStandardHelpOptions = true,
            description = "Splits the tracked run's training time by phase (conv forward, pooling forward, conv"
                    + " backward, optimizer, train accuracy, diagnostics, ...): stacks of the training thread sampled"
                    + " every 5 ms with Java Flight Recorder over one round, after a warm-up round.")
    static final class Profile implements Callable<Integer> {

        @Mixin
        ModelOptions m;

        @Option(names = "--iterations", defaultValue = "40", description = "iterations per epoch (default: ${DEFAULT-VALUE})")
        int iterations;

        @Override
        public Integer call() throws Exception {
            return withEventBus(bus -> TrainBenchmark.profile(new TrainBenchmark.Settings(m.spec(), m.batch, iterations,
                    1, List.of(), bus), System.out));
        }
    }

    /** Scoring a snapshot ensemble on the whole test set. */
    @Command(name = "ensemble", mixinStandardHelpOptions = true,
            description = "Seconds to read back and score a snapshot ensemble (--members saved networks of the spec)"
                    + " on the whole test set and build its report: one member at a time at the first batch size (the"
                    + " baseline), then concurrently as 'workbench ensemble --snapshots' does at each batch size;"
                    + " rounds alternate the order; medians, spread, ratios.")
    static final class Ensemble implements Callable<Integer> {

        @Option(names = "--model", defaultValue = "lenet5", description = "spec under experiments/ (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--members", defaultValue = "5", description = "snapshots in the ensemble (default: ${DEFAULT-VALUE})")
        int members;

        @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--batch-sizes", split = ",", defaultValue = "500,100",
                description = "scoring batch sizes, the first also the baseline's (default: ${DEFAULT-VALUE})")
        List<Integer> batchSizes;

        @Override
        public Integer call() {
            dev.cnnworkbench.core.bench.EnsembleBenchmark.run(new dev.cnnworkbench.core.bench.EnsembleBenchmark.Settings(
                    ModelOptions.specFile(ModelOptions.repo(), model), members, rounds, batchSizes), System.out);
            return 0;
        }
    }

    /** Trials per hour of a sweep at parallel 1 against parallel 2, and parallel 1 on one CPU, each in a child JVM. */
    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = {"Trials per hour of the same small sweep (experiments/sweep-lr-reg.json, 1 epoch per trial)"
                    + " run with sweep.parallel=1 and with sweep.parallel=2 on all CPUs, and with sweep.parallel=1"
                    + " pinned to one CPU (the baseline that says whether each CPU adds a whole trial), each a"
                    + " 'workbench sweep' in a child JVM with a scratch home, alternating; trials/hour by the whole"
                    + " process and within the sweep (first trial start to last trial end), medians, spread and the"
                    + " ratios. Only meaningful on a quiet machine: other processes on the CPUs take from parallel"
                    + " trials too."})
    static final class Sweep implements Callable<Integer> {

        @Option(names = "--rounds", defaultValue = "2", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--trials", defaultValue = "4", description = "trials per sweep (default: ${DEFAULT-VALUE})")
        int trials;

        @Option(names = "--limit", defaultValue = "1024", description = "training images per trial (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            dev.cnnworkbench.cli.bench.SweepBenchmark.run(new dev.cnnworkbench.cli.bench.SweepBenchmark.Settings(
                    ModelOptions.repo().resolve("experiments/sweep-lr-reg.json"), trials, limit, rounds), System.out);
            return 0;
        }
    }

    /** A LeNet run's peak resident memory and wall time under candidate JVM options and the JVM's defaults. */
    @Command(name = "memory", mixinStandardHelpOptions = true,
            description = {"Peak resident memory (VmHWM), wall time and time to the first step (the first progress"
                    + " line that counts a finished step; the bar redraws every 0.5 s) of 'workbench run' of --model's"
                    + " spec (1 epoch on --limit images) in a child JVM: with the JVM's defaults and with --candidate options,"
                    + " alternating; medians and spread. A CIFAR-10 spec whose data.path does not exist runs on"
                    + " synthetic CIFAR-10 records."})
    static final class Memory implements Callable<Integer> {

        @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--limit", defaultValue = "2000", description = "training images (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--candidate", defaultValue = "-XX:+UseSerialGC -Xms32m",
                description = "JVM options measured against the defaults (default: ${DEFAULT-VALUE})")
        String candidate;

        @Option(names = "--model", defaultValue = "lenet5", description = "spec under experiments/ (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--startup-archive", description = "the candidate is the launcher's start-up archive (the"
                + " classes the first run after a build saved) instead of --candidate")
        boolean startupArchive;

        @Option(names = "--warm-home", description = "every child runs in one home that has seen a run (its data cache,"
                + " database and cluster key made, as on every run but a home's first) instead of a fresh one")
        boolean warmHome;

        @Override
        public Integer call() throws Exception {
            if (startupArchive) {
                candidate = String.join(" ", StartupArchive.childOptions());
            }
            Path spec = ModelOptions.specFile(ModelOptions.repo(), model);
            List<String> args = new ArrayList<>(List.of("run", spec.toString(), "--set", "train.epochs=1", "--set",
                    "data.limit=" + limit, "--set", "train.validation=500", "--set", "data.test_limit=1000"));
            TrainBenchmark.syntheticDataPath(new dev.cnnworkbench.core.spec.SpecParser().parseFile(spec, List.of()).data(),
                    limit + 500, 1000, System.out).ifPresent(dir -> args.addAll(List.of("--set", "data.path=" + dir)));
            List<String> options = candidate.isBlank() ? List.of() : List.of(candidate.trim().split("\\s+"));
            System.out.println(model + " run, 1 epoch of " + limit + " images: JVM defaults vs " + String.join(" ", options));
            var arms = List.of(new ChildRuns.Arm("JVM defaults", List.of(), args),
                    new ChildRuns.Arm(startupArchive ? "start-up archive" : String.join(" ", options), options, args));
            Path home = null;
            if (warmHome) {
                home = Files.createTempDirectory("workbench-warm-home");
                var warmUp = ChildRuns.once(arms.get(0), home, Duration.ofMinutes(30));
                System.out.printf(Locale.ROOT, "warm-up run in %s: %.1f s (not counted)%n", home, warmUp.seconds());
            }
            ChildRuns.Outcome[][] outcomes;
            try {
                outcomes = ChildRuns.interleaved(arms, rounds, home, Duration.ofMinutes(30), System.out);
            } finally {
                if (home != null) {
                    PathUtils.deleteDirectory(home);
                }
            }
            for (int a = 0; a < arms.size(); a++) {
                double[] mb = new double[rounds];
                double[] seconds = new double[rounds];
                double[] firstStep = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    mb[r] = outcomes[a][r].peakRssMb();
                    seconds[r] = outcomes[a][r].seconds();
                    firstStep[r] = ChildRuns.firstStepSeconds(outcomes[a][r].stderr()).orElse(Double.NaN);
                }
                System.out.println(arms.get(a).name() + ": peak RSS MB " + ChildRuns.describe(mb)
                        + "; wall s " + ChildRuns.describe(seconds)
                        + "; s to the first progress after a step " + ChildRuns.describe(firstStep));
            }
            return 0;
        }
    }

    /** The cost of the default diagnostics: whole tracked runs with them against the same runs without, interleaved. */
    @Command(name = "diagnostics", mixinStandardHelpOptions = true,
            description = "Wall time of tracked training runs with the default diagnostics (per-layer statistics every"
                    + " 50 iterations, histograms) vs diagnostics.every=0 and no histograms, interleaved rounds;"
                    + " median ratio and spread, and the end-of-run report's own cost.")
    static final class DiagnosticsCost implements Callable<Integer> {

        @Mixin
        ModelOptions m;

        @Option(names = "--iterations", defaultValue = "100", description = "iterations per epoch (default: ${DEFAULT-VALUE})")
        int iterations;

        @Option(names = "--epochs", defaultValue = "2", description = "epochs per run (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--validation", defaultValue = "500", description = "validation images (default: ${DEFAULT-VALUE})")
        int validation;

        @Option(names = "--test", defaultValue = "500", description = "test images (default: ${DEFAULT-VALUE})")
        int test;

        @Override
        public Integer call() throws Exception {
            return withEventBus(bus -> DiagnosticsBenchmark.run(new DiagnosticsBenchmark.Settings(m.spec(), m.batch,
                    iterations, epochs, m.rounds, validation, test, bus), System.out));
        }
    }

    /** The run store: ingest, list, filter and downsampling speed on a generated history. */
    @Command(name = "storage", mixinStandardHelpOptions = true,
            description = "Metric points/s into the embedded database (RunWriter batches, the storage verticle), into an"
                    + " H2 TCP server, the trainer's cost of publishing; listing and filtering 10,000 runs; downsampling"
                    + " 100 runs x 100,000 points. Medians of several repetitions, in a scratch folder.")
    static final class Storage implements Callable<Integer> {

        @Option(names = "--quick", description = "smaller history and fewer repetitions (a smoke run)")
        boolean quick;

        @Override
        public Integer call() throws Exception {
            StorageBenchmark.main(quick ? new String[] {"--quick"} : new String[0]);
            return 0;
        }
    }

    /** The dashboard's page-ready times in Debian's headless Chromium. */
    @Command(name = "dashboard", mixinStandardHelpOptions = true,
            description = "Page-ready time in headless Chromium: compare 20 runs x 50,000 points, the runs page over"
                    + " 10,000 runs (first page, filtered and sorted, deep offset); cold load, median, spread.")
    static final class Dashboard implements Callable<Integer> {

        @Option(names = "--quick", description = "2,000 runs, 10,000 points a curve, 3 loads")
        boolean quick;

        @Option(names = "--detail", description = "also each resource's timing and the page's marks in the last load")
        boolean detail;

        @Option(names = "--only", paramLabel = "PAGE", description = "compare or runs: those pages only")
        String only;

        @Override
        public Integer call() throws Exception {
            List<String> args = new java.util.ArrayList<>();
            if (quick) {
                args.add("--quick");
            }
            if (detail) {
                args.add("--detail");
            }
            if (only != null) {
                args.add("--only=" + only);
            }
            return DashboardBenchmark.run(args, System.out);
        }
    }

    /** The MLflow tracking API against the workbench's own ingest of the same points. */
    @Command(name = "mlflow", mixinStandardHelpOptions = true,
            description = "Median time of an MLflow log-batch of 1,000 metrics and rate of single log-metric calls from"
                    + " one HTTP client, each against the workbench's own ingest of the same points, interleaved rounds.")
    static final class Mlflow implements Callable<Integer> {

        @Option(names = "--rounds", defaultValue = "5", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--calls", defaultValue = "10000", description = "single log-metric calls per round (default: ${DEFAULT-VALUE})")
        int calls;

        @Override
        public Integer call() throws Exception {
            dev.cnnworkbench.web.bench.MlflowBenchmark.run(new dev.cnnworkbench.web.bench.MlflowBenchmark.Settings(rounds,
                    calls), System.out);
            return 0;
        }
    }

    /** Workers on this machine: a sweep on 1 vs 2 workers, hub ingest from another member, a worker's step cost. */
    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = {"Workers on this machine (real 'workbench worker' JVMs, one core each, joined to a hub in"
                    + " this process): the same sweep on 1 worker and on 2 (speed-up), metric points stored by the hub"
                    + " from another cluster member against its own bus (points/s), and a worker's examples/s against a"
                    + " run in this process (cost per step). Medians of interleaved rounds; prints the load average."})
    static final class Cluster implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "8", description = "trials per sweep (default: ${DEFAULT-VALUE})")
        int trials;

        @Option(names = "--rounds", defaultValue = "2", description = "rounds of 1 then 2 workers (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--limit", defaultValue = "16000", description = "training images per trial (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--points", defaultValue = "30000", description = "metric points per ingest round (default: ${DEFAULT-VALUE})")
        int points;

        @Option(names = "--pin", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "run worker k on CPU k alone (taskset), so 'one core each' holds for its JVM's own threads"
                        + " (garbage collector, compiler, data loading) too; --no-pin lets them use every core")
        boolean pin;

        @Override
        public Integer call() throws Exception {
            if (trials < 2 || rounds < 1 || limit < 100 || points < 3) {
                throw new IllegalArgumentException("bench cluster needs --trials >= 2, --rounds >= 1, --limit >= 100 and"
                        + " --points >= 3");
            }
            Path work = Files.createTempDirectory("workbench-bench-cluster");
            try {
                ClusterBench.run(new ClusterBench.Settings(trials, rounds, limit, points, pin, work, System.out));
            } finally {
                org.apache.commons.io.file.PathUtils.deleteDirectory(work); // a hub's and two workers' homes
            }
            return 0;
        }
    }

    /** The crash soak: kill -9 and resume, again and again, against the uninterrupted run. */
    @Command(name = "crash", mixinStandardHelpOptions = true,
            description = {"Trains a small spec once without interruption, then again killing it with SIGKILL"
                    + " --cycles times at seeded moments (just after an epoch's checkpoint, or within an epoch), each"
                    + " time continuing it with 'workbench resume'. Prints each kill, the points the store had before"
                    + " it and whether the next process kept them, and at the end the points lost, the points that"
                    + " differ from the uninterrupted run's and whether the final parameters are equal."
                    + " Exit code 1 when anything was lost or differs."})
    static final class Crash implements Callable<Integer> {

        @Option(names = "--cycles", defaultValue = "20", description = "kills (default: ${DEFAULT-VALUE})")
        int cycles;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the kill moments (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--model", defaultValue = "lenet5", description = "spec under experiments/ (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--limit", defaultValue = "512",
                description = "training images (data.limit); an epoch is limit/batch iterations (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            Path spec = ModelOptions.specFile(ModelOptions.repo(), model);
            Path work = Files.createTempDirectory("workbench-crash-soak");
            try {
                List<String> sets = List.of("train.epochs=" + (cycles + 2), "data.limit=" + limit,
                        "train.validation=128", "data.test_limit=128", "train.checkpoints={\"keep\": 2}");
                System.out.println("crash soak: " + spec + " with " + String.join(" ", sets) + "; " + cycles
                        + " kills, seed " + seed);
                CrashSoak.Report r = CrashSoak.run(new CrashSoak.Settings(spec, sets, cycles, seed, work,
                        System.out));
                boolean ok = r.status() == dev.cnnworkbench.core.bus.RunStatus.FINISHED && r.lost() == 0
                        && r.missing() == 0 && r.differing() == 0 && r.parametersEqual() && r.checkpointsEqual();
                System.out.println(ok ? "OK" : "FAILED");
                return ok ? 0 : 1;
            } finally {
                org.apache.commons.io.file.PathUtils.deleteDirectory(work);
            }
        }
    }

    /** The data pipeline: decode throughput cold and cached, peak memory by data set size, data-wait fraction. */
    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "On generated folders of 32x32 RGB PNG images: decode throughput cold and from the cache,"
                    + " peak RSS per size, and a tracked run's data_wait_fraction (the CIFAR VGG spec).")
    static final class Data implements Callable<Integer> {

        @Option(names = "--sizes", split = ",", defaultValue = "10000,50000",
                description = "images per generated folder (default: ${DEFAULT-VALUE})")
        List<Integer> sizes;

        @Option(names = "--train-images", defaultValue = "2048",
                description = "training images of the tracked run (default: ${DEFAULT-VALUE})")
        int trainImages;

        @Override
        public Integer call() throws Exception {
            dev.cnnworkbench.core.bench.DataBenchmark.run(sizes, ModelOptions.repo().resolve("experiments/cifar10-vgg.json"),
                    trainImages, System.out);
            return 0;
        }
    }

    /**
     * PyTorch 2-thread CPU training of the same network as the spec (its twin under experiments/bench), in a
     * subprocess per round: {@code command} is the script and its arguments, to which batch and iterations are added.
     * The subprocess runs with glibc's allocator told to keep freed memory ({@link #KEEP_FREED_MEMORY}, unless the
     * environment sets those variables): by default glibc hands a freed block of a few megabytes back to the kernel
     * and the next step faults its pages in again, and on this project's machines a page fault is costly enough that
     * PyTorch then ran at 190-720 examples/s from one process to the next on ResNet-20 (4 MB activations), against a
     * steady 720-740 with the setting. A baseline is measured at its best.
     */
    record Torch(String python, List<String> command) implements TrainBenchmark.Baseline {

        /**
         * glibc's tunables that keep freed memory in the process: blocks up to 256 MiB come from the heap rather than
         * their own mapping, and the heap is not trimmed below 1 GiB of free space.
         */
        static final Map<String, String> KEEP_FREED_MEMORY = Map.of("MALLOC_MMAP_THRESHOLD_", "268435456",
                "MALLOC_TRIM_THRESHOLD_", "1073741824");

        /** The twin of {@code --model} in the checkout {@code repo}; {@code null} when there is none. */
        static Torch twin(String python, Path repo, String model) {
            Path bench = repo.resolve("experiments/bench");
            return switch (model) {
                case "lenet5" -> new Torch(python, List.of(bench.resolve("lenet_torch.py").toString()));
                case "cifar10-vgg" -> new Torch(python, List.of(bench.resolve("cifar_torch.py").toString(), "--net", "vgg"));
                case "cifar10-resnet" -> new Torch(python,
                        List.of(bench.resolve("cifar_torch.py").toString(), "--net", "resnet20"));
                default -> null;
            };
        }

        @Override
        public String name() {
            return "PyTorch";
        }

        @Override
        public double measure(int batch, int iterations) {
            return Double.parseDouble(run("RESULT examples_per_second=", "--batch", String.valueOf(batch),
                    "--iterations", String.valueOf(iterations)));
        }

        @Override
        public long params() {
            return Long.parseLong(run("PARAMS ", "--params-only"));
        }

        /** Runs the script with {@code args}; the rest of its last output line starting with {@code prefix}. */
        private String run(String prefix, String... args) {
            Path script = Path.of(command.get(0));
            try {
                if (!Files.isRegularFile(script)) {
                    throw new IllegalStateException("missing " + script);
                }
                List<String> line = new java.util.ArrayList<>(List.of(python));
                line.addAll(command);
                line.addAll(List.of(args));
                ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
                KEEP_FREED_MEMORY.forEach(builder.environment()::putIfAbsent);
                Process p = builder.start();
                String result = null;
                StringBuilder output = new StringBuilder();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        output.append(l).append('\n');
                        if (l.startsWith(prefix)) {
                            result = l.substring(prefix.length()).trim();
                        }
                    }
                }
                if (p.waitFor() != 0 || result == null) {
                    throw new IllegalStateException("the PyTorch baseline " + script.getFileName() + " failed (exit "
                            + p.exitValue() + "):\n" + output);
                }
                return result;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot run python3: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
