package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.ensemble.EnsembleReport;
import dev.cnnworkbench.core.ensemble.SnapshotEnsemble;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Scoring a snapshot ensemble the way {@code workbench ensemble --snapshots RUN} does: {@code members} networks of a
 * spec saved as snapshot files, each read back ({@link NetworkFiles#read}) and scored on the whole test set
 * ({@link SnapshotEnsemble#probabilities}), then the {@link EnsembleReport}; timed from reading the first file to
 * the report, in wall-clock and in process CPU seconds (all threads: on a busy machine a better guide to the time on
 * a quiet one). The members have their initial random weights (the time does not depend on the weights). Rounds
 * alternate the scoring batch sizes so that machine drift cancels; one member is scored at each size first, not
 * counted (warm-up).
 * Single-threaded; prints to {@code out}.
 */
public final class EnsembleBenchmark {

    /** What to measure: the first batch size is the baseline the others are compared with. */
    public record Settings(Path spec, int members, int rounds, List<Integer> batchSizes) {
    }

    private EnsembleBenchmark() {
    }

    /** Measures; returns the median seconds per batch size, in {@code batchSizes} order. */
    public static double[] run(Settings s, PrintStream out) {
        ExperimentSpec spec = new SpecParser().parseFile(s.spec(), List.of("data.limit=1000"));
        Experiment experiment = new SpecResolver(PluginRegistry.builtin()).resolve(spec);
        long t0 = System.nanoTime();
        ImageSet test = DataSplit.of(spec).test();
        out.printf(Locale.ROOT, "ensemble of %d members of %s on %d test images; test set read in %.1f s%n",
                s.members(), spec.name(), test.size(), (System.nanoTime() - t0) / 1e9);
        Path dir;
        try {
            dir = Files.createTempDirectory("workbench-ensemble-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Path> files = new ArrayList<>();
            for (int m = 1; m <= s.members(); m++) {
                Path file = RunArtifacts.snapshot(dir, m);
                RunArtifacts.writeNetwork(NetworkFactory.build(experiment, 100, test.classes()), file);
                files.add(file);
            }
            for (int batch : s.batchSizes()) {
                score(files.subList(0, 1), test, batch); // warm-up (JIT, oneDNN primitives): one member
            }
            double[][] seconds = new double[s.batchSizes().size()][s.rounds()];
            double[][] cpu = new double[s.batchSizes().size()][s.rounds()];
            for (int r = 0; r < s.rounds(); r++) {
                StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
                for (int b = 0; b < s.batchSizes().size(); b++) {
                    int i = r % 2 == 0 ? b : s.batchSizes().size() - 1 - b; // alternate which goes first
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    score(files, test, s.batchSizes().get(i));
                    seconds[i][r] = (System.nanoTime() - start) / 1e9;
                    cpu[i][r] = (processCpuNanos() - cpuStart) / 1e9;
                    line.append(String.format(Locale.ROOT, " batch %d %.2f s (CPU %.2f s);", s.batchSizes().get(i),
                            seconds[i][r], cpu[i][r]));
                }
                out.println(line);
            }
            double[] medians = new double[seconds.length];
            for (int b = 0; b < seconds.length; b++) {
                medians[b] = TrainBenchmark.median(seconds[b]);
                double[] sorted = seconds[b].clone();
                java.util.Arrays.sort(sorted);
                out.printf(Locale.ROOT, "batch %d: median %.2f s (min %.2f, max %.2f, n=%d), CPU median %.2f s, %.0f"
                                + " images/s%s%n",
                        s.batchSizes().get(b), medians[b], sorted[0], sorted[sorted.length - 1], sorted.length,
                        TrainBenchmark.median(cpu[b]),
                        s.members() * test.size() / medians[b],
                        b == 0 ? "" : String.format(Locale.ROOT, "; time ratio to batch %d: %.3f", s.batchSizes().get(0),
                                medians[b] / medians[0]));
            }
            return medians;
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                out.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    /** CPU time of the whole process (all threads, the native ones included); 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static EnsembleReport score(List<Path> files, ImageSet test, int batch) {
        List<float[][]> probabilities = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            probabilities.add(SnapshotEnsemble.probabilities(NetworkFiles.read(file), test, batch));
            names.add(file.getFileName().toString());
        }
        return EnsembleReport.of(names, probabilities, test.labels());
    }
}
