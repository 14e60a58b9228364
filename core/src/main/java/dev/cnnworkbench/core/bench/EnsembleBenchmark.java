package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.ensemble.EnsembleReport;
import dev.cnnworkbench.core.ensemble.MemberScoring;
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
import java.util.List;
import java.util.Locale;

/**
 * Scoring a snapshot ensemble the way {@code workbench ensemble --snapshots RUN} does: {@code members} networks of a
 * spec saved as snapshot files, each read back ({@link NetworkFiles#read}) and scored on the whole test set, then the
 * {@link EnsembleReport}; timed from reading the first file to the report, in wall-clock and in process CPU seconds
 * (all threads: on a busy machine a better guide to the time on a quiet one). The baseline scores one member at a
 * time ({@link SnapshotEnsemble#probabilities}, all cores on each) at the first batch size; against it, the members
 * scored concurrently ({@link MemberScoring}, what the command does) at each batch size. The members have their
 * initial random weights (the time does not depend on the weights). Rounds alternate the order of the ways so that
 * machine drift cancels; each way scores one member first, not counted (warm-up).
 * Single-threaded; prints to {@code out}.
 */
public final class EnsembleBenchmark {

    /** What to measure: the first batch size is the baseline's. */
    public record Settings(Path spec, int members, int rounds, List<Integer> batchSizes) {
    }

    private EnsembleBenchmark() {
    }

    /**
     * Measures; returns the median seconds of the baseline, then of concurrent scoring at each batch size in
     * {@code batchSizes} order.
     */
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
            List<Way> ways = new ArrayList<>();
            ways.add(new Way(false, s.batchSizes().get(0)));
            s.batchSizes().forEach(b -> ways.add(new Way(true, b)));
            for (Way way : ways) {
                score(files.subList(0, 1), test, way); // warm-up (JIT, oneDNN primitives): one member
            }
            double[][] seconds = new double[ways.size()][s.rounds()];
            double[][] cpu = new double[ways.size()][s.rounds()];
            for (int r = 0; r < s.rounds(); r++) {
                StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
                for (int w = 0; w < ways.size(); w++) {
                    int i = r % 2 == 0 ? w : ways.size() - 1 - w; // alternate which goes first
                    long start = System.nanoTime();
                    long cpuStart = TrainBenchmark.processCpuNanos();
                    score(files, test, ways.get(i));
                    seconds[i][r] = (System.nanoTime() - start) / 1e9;
                    cpu[i][r] = (TrainBenchmark.processCpuNanos() - cpuStart) / 1e9;
                    line.append(String.format(Locale.ROOT, " %s %.2f s (CPU %.2f s);", ways.get(i), seconds[i][r],
                            cpu[i][r]));
                }
                out.println(line);
            }
            double[] medians = new double[seconds.length];
            for (int w = 0; w < seconds.length; w++) {
                medians[w] = TrainBenchmark.median(seconds[w]);
                double[] sorted = seconds[w].clone();
                java.util.Arrays.sort(sorted);
                out.printf(Locale.ROOT, "%s: median %.2f s (min %.2f, max %.2f, n=%d), CPU median %.2f s, %.0f"
                                + " images/s%s%n",
                        ways.get(w), medians[w], sorted[0], sorted[sorted.length - 1], sorted.length,
                        TrainBenchmark.median(cpu[w]), s.members() * test.size() / medians[w],
                        w == 0 ? " (baseline)" : String.format(Locale.ROOT, "; %.2fx the baseline's speed",
                                medians[0] / medians[w]));
            }
            return medians;
        } finally {
            try {
                org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
            } catch (IOException e) {
                out.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    /** How the members are scored: one at a time, or concurrently ({@link MemberScoring}); images per batch. */
    private record Way(boolean concurrent, int batch) {
        @Override
        public String toString() {
            return (concurrent ? "concurrent" : "one at a time") + ", batch " + batch;
        }
    }

    private static EnsembleReport score(List<Path> files, ImageSet test, Way way) {
        List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
        List<float[][]> probabilities;
        if (way.concurrent()) {
            probabilities = MemberScoring.probabilities(files.stream().map(f -> new MemberScoring.Member(
                    f.getFileName().toString(), () -> NetworkFiles.read(f), test)).toList(), way.batch(), name -> { });
        } else {
            probabilities = new ArrayList<>();
            for (Path file : files) {
                probabilities.add(SnapshotEnsemble.probabilities(NetworkFiles.read(file), test, way.batch()));
            }
        }
        return EnsembleReport.of(names, probabilities, test.labels());
    }
}
