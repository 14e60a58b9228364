package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.diagnostics.Diagnostics;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.FinalEvaluations;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.core.engine.Trainer;
import dev.cnnworkbench.core.engine.TrainingContext;
import dev.cnnworkbench.core.engine.TrainingObserver;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.DiagnosticsSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecParser;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What the default diagnostics cost: the wall time of whole tracked training runs (epochs, per-epoch validation, test
 * evaluation, observers, artifact files published with their SHA-256 on the event bus) with the default
 * {@code diagnostics} section against the same run with {@code {"every": 0, "histograms": false}}, interleaved round
 * by round (alternating which goes first) so that machine drift cancels; a warm-up pair first, not counted. Reports
 * the medians, and the median, minimum and maximum of the per-round ratios, of wall-clock time and of the process's
 * CPU time. The always-on end-of-run report
 * (confusion matrices, misclassified images, filters) runs in both arms, so it is timed on its own as well.
 * Single-threaded; prints to {@code out}.
 */
public final class DiagnosticsBenchmark {

    /**
     * What to measure.
     *
     * @param iterations mini-batches per epoch
     * @param validation held-out images, evaluated every epoch
     * @param testImages test images evaluated at the end
     * @param bus        receives the runs' metrics, warnings and artifacts
     */
    public record Settings(Path spec, int batch, int iterations, int epochs, int rounds, int validation,
                           int testImages, EventBus bus) {
    }

    /**
     * Per round: wall-clock seconds of a whole run with and without the default diagnostics, their ratio, the same for
     * the process's CPU time (all threads, native ones included: less disturbed by other processes on a busy
     * machine), and the seconds of the diagnostics' end-of-run report alone.
     */
    public record Result(double[] withDiagnostics, double[] without, double[] ratios, double[] cpuRatios,
                         double[] endOfRun) {

        public double medianRatio() {
            return TrainBenchmark.median(ratios);
        }

        public double medianCpuRatio() {
            return TrainBenchmark.median(cpuRatios);
        }
    }

    /** Wall-clock and process CPU seconds of one run. */
    private record Timing(double wall, double cpu) {
    }

    private DiagnosticsBenchmark() {
    }

    public static Result run(Settings s, PrintStream out) {
        List<String> common = List.of("train.batch=" + s.batch(), "train.epochs=" + s.epochs(),
                "train.validation=" + s.validation(), "data.limit=" + s.batch() * s.iterations(),
                "data.test_limit=" + s.testImages());
        DiagnosticsSpec d = DiagnosticsSpec.DEFAULT;
        Experiment on = resolve(s.spec(), common, "diagnostics.every=" + d.every(), "diagnostics.histograms=" + d.histograms());
        Experiment off = resolve(s.spec(), common, "diagnostics.every=0", "diagnostics.histograms=false");
        DataSplit split = DataSplit.of(on.spec(), Datasets.load(on.spec().data()));
        out.printf(Locale.ROOT, "model %s, batch %d, %d epochs of %d iterations, %d validation and %d test images;"
                        + " default diagnostics (every %d, histograms %s) vs every 0, no histograms; %d rounds%n",
                on.spec().name(), s.batch(), s.epochs(), s.iterations(), split.validation().size(),
                split.test().size(), d.every(), d.histograms(), s.rounds());
        Path home;
        try {
            home = Files.createTempDirectory("workbench-bench-diagnostics");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder", e);
        }
        try {
            timedRun(on, split, s.bus(), home, "warmup-on");
            timedRun(off, split, s.bus(), home, "warmup-off");
            double[] with = new double[s.rounds()];
            double[] without = new double[s.rounds()];
            double[] ratios = new double[s.rounds()];
            double[] cpuRatios = new double[s.rounds()];
            double[] end = new double[s.rounds()];
            for (int r = 0; r < s.rounds(); r++) {
                Timing a;
                Timing b;
                if (r % 2 == 0) {
                    a = timedRun(on, split, s.bus(), home, "on-" + r);
                    b = timedRun(off, split, s.bus(), home, "off-" + r);
                } else {
                    b = timedRun(off, split, s.bus(), home, "off-" + r);
                    a = timedRun(on, split, s.bus(), home, "on-" + r);
                }
                with[r] = a.wall();
                without[r] = b.wall();
                ratios[r] = a.wall() / b.wall();
                cpuRatios[r] = a.cpu() / b.cpu();
                end[r] = endOfRunSeconds(on, split, s.bus(), home, "report-" + r);
                out.printf(Locale.ROOT, "  round %d: with diagnostics %.2f s (cpu %.2f s), without %.2f s (cpu %.2f s),"
                        + " ratio %.4f (cpu %.4f); end-of-run report %.2f s%n", r + 1, a.wall(), a.cpu(), b.wall(),
                        b.cpu(), ratios[r], cpuRatios[r], end[r]);
            }
            Result result = new Result(with, without, ratios, cpuRatios, end);
            out.printf(Locale.ROOT, "with default diagnostics: %s%n", seconds(with));
            out.printf(Locale.ROOT, "without (every 0):       %s%n", seconds(without));
            out.printf(Locale.ROOT, "wall-clock ratio with/without: %s: overhead %+.2f%%%n", ratios(ratios),
                    100 * (result.medianRatio() - 1));
            out.printf(Locale.ROOT, "CPU-time ratio with/without:   %s: overhead %+.2f%%%n", ratios(cpuRatios),
                    100 * (result.medianCpuRatio() - 1));
            out.printf(Locale.ROOT, "end-of-run report (in both arms, once per run): median %.2f s = %.2f%% of a run"
                    + " here%n", TrainBenchmark.median(end), 100 * TrainBenchmark.median(end)
                    / TrainBenchmark.median(without));
            return result;
        } finally {
            delete(home);
        }
    }

    private static Experiment resolve(Path spec, List<String> common, String... more) {
        List<String> overrides = new ArrayList<>(common);
        overrides.addAll(List.of(more));
        ExperimentSpec parsed = new SpecParser().parseFile(spec, overrides);
        return new SpecResolver(PluginRegistry.builtin()).resolve(parsed);
    }

    /** One whole tracked training run. */
    private static Timing timedRun(Experiment experiment, DataSplit split, EventBus bus, Path home, String runId) {
        Path dir = home.resolve(runId);
        long cpu0 = TrainBenchmark.processCpuNanos();
        long t0 = System.nanoTime();
        new Trainer(experiment, new BusSink(bus, runId, home), TrainingProgress.NONE, StopRule.NEVER, dir)
                .train(split);
        return new Timing((System.nanoTime() - t0) / 1e9, (TrainBenchmark.processCpuNanos() - cpu0) / 1e9);
    }

    /** The diagnostics' end-of-run work alone, on a fresh network of the same shape (its cost does not depend on
     * the weights). */
    private static double endOfRunSeconds(Experiment experiment, DataSplit split, EventBus bus, Path home,
                                          String runId) {
        int iters = Math.max(1, (split.train().size() + experiment.spec().train().batch() - 1)
                / experiment.spec().train().batch());
        ComputationGraph net = NetworkFactory.build(experiment, iters, split.train().classes());
        TrainingContext context = new TrainingContext(experiment, split, iters, (long) iters
                * experiment.spec().train().epochs(), new BusSink(bus, runId, home), TrainingProgress.NONE,
                home.resolve(runId));
        List<TrainingObserver> observers = Diagnostics.forRun(context);
        long t0 = System.nanoTime();
        for (TrainingObserver o : observers) {
            o.trainingDone(net, 1, 0, FinalEvaluations.NONE); // the report scores both sets itself, as its cost
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String seconds(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "median %.2f s (min %.2f, max %.2f, n=%d)", TrainBenchmark.median(values),
                s[0], s[s.length - 1], s.length);
    }

    private static String ratios(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "median %.4f (min %.4f, max %.4f, n=%d)", TrainBenchmark.median(values),
                s[0], s[s.length - 1], s.length);
    }

    private static void delete(Path root) {
        org.apache.commons.io.FileUtils.deleteQuietly(root.toFile()); // a scratch folder left behind is harmless
    }
}
