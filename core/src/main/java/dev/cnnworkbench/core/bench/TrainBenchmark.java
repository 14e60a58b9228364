package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.engine.Trainer;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.kernel.JavaBatchNormHelper;
import dev.cnnworkbench.core.kernel.Kernels;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecParser;
import io.vertx.core.eventbus.EventBus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.LayerHelper;

/**
 * Training throughput, measured the way issue figures are reported: (a) raw DL4J {@code fit} with no
 * tracking and (b) the workbench's tracked {@link Trainer} publishing every metric on the event bus,
 * interleaved round by round so machine drift cancels; medians and spreads; (b)/(a). Each round uses
 * a fresh network; warm-up iterations (JIT, oneDNN primitive creation) are excluded from both.
 * Single-threaded; prints to {@code out}.
 */
public final class TrainBenchmark {

    /** What to measure. {@code bus} receives the tracked run's metrics (whoever listens persists them). */
    public record Settings(Path spec, int batch, int iterations, int rounds, List<Integer> batchSizes, EventBus bus) {
    }

    /** An outside baseline measured in the same rounds (e.g. PyTorch in a subprocess); examples/s. */
    public interface Baseline {
        String name();

        double measure(int batch, int iterations);

        /**
         * Its network's parameter count as DL4J's {@code numParams()} counts it (batchnorm's running mean and variance
         * included); a baseline whose count differs from the DL4J network's is not the same net and fails the run.
         */
        long params();
    }

    /** The figures, examples per second. */
    public record Result(double[] raw, double[] tracked, double[] baseline, double firstStepSeconds, long peakRssMb) {

        public double rawMedian() {
            return median(raw);
        }

        public double trackedMedian() {
            return median(tracked);
        }
    }

    private TrainBenchmark() {
    }

    /** Measures; {@code baseline} may be {@code null} when none is available. */
    public static Result run(Settings settings, Baseline baseline, PrintStream out) {
        long t0 = System.nanoTime();
        ExperimentSpec spec = spec(settings, out);
        Experiment experiment = new SpecResolver(PluginRegistry.builtin()).resolve(spec);
        Datasets.TrainTest data = Datasets.load(spec.data());
        DataSplit split = DataSplit.of(spec, data);
        RawFitProbe first = new RawFitProbe(experiment, split.train(), settings.batch(), 8);
        first.fit(1);
        double firstStep = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "model %s, batch %d, %d iterations per measurement, %d rounds; time to first step %.1f s%n",
                spec.name(), settings.batch(), settings.iterations(), settings.rounds(), firstStep);
        if (baseline != null) {
            checkTwin(first.numParams(), baseline, out);
        }

        double[] raw = new double[settings.rounds()];
        double[] tracked = new double[settings.rounds()];
        double[] outside = new double[baseline == null ? 0 : settings.rounds()];
        for (int r = 0; r < settings.rounds(); r++) {
            raw[r] = rawRound(experiment, split.train(), settings.batch(), settings.iterations());
            tracked[r] = trackedRound(experiment, split, settings.bus());
            String line = String.format(Locale.ROOT, "  round %d: raw %.1f ex/s, tracked %.1f ex/s", r + 1, raw[r], tracked[r]);
            if (baseline != null) {
                outside[r] = baseline.measure(settings.batch(), settings.iterations());
                line += String.format(Locale.ROOT, ", %s %.1f ex/s", baseline.name(), outside[r]);
            }
            out.println(line);
        }
        Result result = new Result(raw, tracked, outside, firstStep, peakRssMb());
        out.printf(Locale.ROOT, "(a) raw DL4J fit:      %s%n", describe(raw));
        out.printf(Locale.ROOT, "(b) workbench tracked: %s%n", describe(tracked));
        out.printf(Locale.ROOT, "(b)/(a) = %.3f%n", result.trackedMedian() / result.rawMedian());
        if (baseline != null) {
            out.printf(Locale.ROOT, "(c) %s: %s%n", baseline.name(), describe(outside));
            out.printf(Locale.ROOT, "(b)/(c) = %.3f%n", result.trackedMedian() / median(outside));
        } else {
            out.println("(c) PyTorch: NOT MEASURED: it needs a python3 that imports torch (apt-get install"
                    + " python3-torch) and a PyTorch twin of the model (lenet5, cifar10-vgg, cifar10-resnet have one)");
        }
        for (int size : settings.batchSizes()) {
            if (size > data.train().size()) {
                out.printf(Locale.ROOT, "raw fit at batch %d: skipped, only %d training examples (more --iterations)%n",
                        size, data.train().size());
                continue;
            }
            out.printf(Locale.ROOT, "raw fit at batch %d: %.1f ex/s%n", size,
                    rawRound(experiment, data.train(), size, Math.max(4, settings.iterations() * settings.batch() / size)));
        }
        out.printf(Locale.ROOT, "peak resident memory: %d MB%n", peakRssMb());
        return result;
    }

    /**
     * Where the tracked run's training time goes: one tracked round to warm up, then one sampled by
     * {@link StepProfile}; prints the split by phase and returns it.
     */
    public static StepProfile.Split profile(Settings settings, PrintStream out) {
        ExperimentSpec spec = spec(settings, out);
        Experiment experiment = new SpecResolver(PluginRegistry.builtin()).resolve(spec);
        DataSplit split = DataSplit.of(spec, Datasets.load(spec.data()));
        trackedRound(experiment, split, settings.bus());
        StepProfile.Split result = StepProfile.of(() -> trackedRound(experiment, split, settings.bus()),
                Duration.ofMillis(5));
        out.printf(Locale.ROOT, "where the tracked training of %s goes (batch %d, 2 epochs of %d iterations, stacks"
                + " sampled every 5 ms):%n", spec.name(), settings.batch(), settings.iterations());
        out.print(result.describe());
        out.println("native kernels of the layers (DL4J's oneDNN helpers; \"built-in\" = ND4J ops):");
        out.print(layerHelpers(NetworkFactory.build(experiment, settings.iterations(), split.train().classes())));
        return result;
    }

    /**
     * One line per kind of layer or vertex of {@code net}: how many there are and what computes them, e.g.
     * {@code "  21 x BatchNormalization: JavaBatchNormHelper (else MKLDNNBatchNormHelper)"}: the workbench's own
     * {@link dev.cnnworkbench.core.kernel.Kernels kernel}, and in brackets the helper DL4J chose, used for what the
     * workbench's does not compute; {@code "ActivationLayer: JavaReluLayer"}: the workbench's implementation of the
     * layer. DL4J M2.1 has oneDNN helpers for convolution, pooling, batch norm and LRN only; everything else
     * ("built-in": element-wise vertices such as a residual block's sum, other activations) runs as plain ND4J ops.
     */
    public static String layerHelpers(ComputationGraph net) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (GraphVertex v : net.getVertices()) {
            if (v.hasLayer()) {
                Layer layer = v.getLayer();
                String computedBy = layer.getClass().getPackageName().equals(Kernels.class.getPackageName())
                        ? layer.getClass().getSimpleName() : helperName(layer.getHelper());
                kinds.merge(layer.conf().getLayer().getClass().getSimpleName() + ": " + computedBy, 1, Integer::sum);
            } else if (!v.isInputVertex()) {
                kinds.merge(v.getClass().getSimpleName() + ": built-in", 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        kinds.forEach((kind, n) -> b.append(String.format(Locale.ROOT, "  %d x %s%n", n, kind)));
        return b.toString();
    }

    private static String helperName(LayerHelper helper) {
        if (helper instanceof JavaBatchNormHelper ours) {
            return helper.getClass().getSimpleName() + " (else " + helperName(ours.fallback()) + ")";
        }
        return helper == null ? "built-in" : helper.getClass().getSimpleName();
    }

    /**
     * The spec as every training benchmark runs it: {@code settings}' batch, two epochs of {@code iterations} batches
     * (the first is warm-up), no validation hold-out, one test batch. A CIFAR-10 spec whose {@code data.path} does not
     * exist (the shipped specs point at a placeholder) runs on {@link #syntheticCifar10 synthetic data} of that shape.
     */
    static ExperimentSpec spec(Settings settings, PrintStream out) {
        List<String> overrides = new ArrayList<>(List.of("train.batch=" + settings.batch(), "train.epochs=2",
                "train.validation=0", "data.limit=" + settings.batch() * settings.iterations(),
                "data.test_limit=" + settings.batch()));
        SpecParser parser = new SpecParser();
        ExperimentSpec spec = parser.parseFile(settings.spec(), overrides);
        var synthetic = syntheticDataPath(spec.data(), settings.batch() * settings.iterations(), settings.batch(), out);
        if (synthetic.isPresent()) {
            overrides.add("data.path=" + synthetic.get());
            spec = parser.parseFile(settings.spec(), overrides);
        }
        return spec;
    }

    /**
     * For a CIFAR-10 spec whose {@code data.path} does not exist (the shipped specs point at a placeholder): writes
     * {@link #syntheticCifar10 synthetic records} ({@code train} and {@code test} of them), says so on {@code out}, and
     * returns the folder to use as {@code data.path}; empty for any other spec.
     */
    public static java.util.Optional<Path> syntheticDataPath(DataSpec data, int train, int test, PrintStream out) {
        if (!data.dataset().equals("cifar10") || Files.exists(Path.of(data.path()))) {
            return java.util.Optional.empty();
        }
        Path dir = syntheticCifar10(train, test);
        out.printf(Locale.ROOT, "data: %s does not exist; synthetic CIFAR-10 instead (%d training and %d test records"
                + " of seeded random pixels) in %s%n", data.path(), train, test, dir);
        return java.util.Optional.of(dir);
    }

    /**
     * A CIFAR-10 binary folder ({@code data_batch_1.bin}, {@code test_batch.bin}) of seeded random records in a new
     * temporary directory, deleted when the JVM exits.
     */
    static Path syntheticCifar10(int train, int test) {
        try {
            Path dir = Files.createTempDirectory("workbench-bench-cifar10-");
            dir.toFile().deleteOnExit();
            for (Path file : List.of(ImageFixtures.cifar10Random(dir.resolve("data_batch_1.bin"), train, 42),
                    ImageFixtures.cifar10Random(dir.resolve("test_batch.bin"), test, 43))) {
                file.toFile().deleteOnExit();
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write synthetic CIFAR-10 data: " + e.getMessage(), e);
        }
    }

    /** Prints both parameter counts; throws when the baseline's network is not the DL4J network's twin. */
    static void checkTwin(long dl4jParams, Baseline baseline, PrintStream out) {
        long twin = baseline.params();
        out.printf(Locale.ROOT, "parameters (batchnorm running mean and variance included, as DL4J stores them):"
                + " DL4J %,d, %s %,d%n", dl4jParams, baseline.name(), twin);
        if (twin != dl4jParams) {
            throw new IllegalStateException(baseline.name() + "'s network has " + twin + " parameters, the DL4J network "
                    + dl4jParams + ": it is not the same net, so it is no baseline; fix the twin script");
        }
    }

    private static double rawRound(Experiment experiment, ImageSet data, int batch, int iterations) {
        RawFitProbe probe = new RawFitProbe(experiment, data, batch, Math.min(iterations, 32));
        probe.fit(Math.min(iterations, 8));
        return iterations * batch / probe.fit(iterations);
    }

    /** Two epochs of the tracked trainer; the second epoch's throughput (the first is warm-up). */
    private static double trackedRound(Experiment experiment, DataSplit split, EventBus bus) {
        Trainer trainer = new Trainer(experiment, points -> bus.publish(Addresses.METRICS,
                new MetricBatch("bench-" + Long.toHexString(System.nanoTime()), points)), TrainingProgress.NONE);
        return trainer.train(split).finalMetrics().get("examples_per_second");
    }

    /** CPU time of the whole process, all threads (native ones included); -1 where the JVM does not tell. */
    public static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String describe(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "median %.1f ex/s (min %.1f, max %.1f, n=%d)", median(values), s[0],
                s[s.length - 1], s.length);
    }

    /** The process's peak resident set (VmHWM), in MB; 0 where /proc is not available. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

}
