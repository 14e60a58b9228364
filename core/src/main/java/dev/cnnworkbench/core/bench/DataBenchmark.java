package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.data.DataCache;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.Batches;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.Trainer;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code workbench bench data}: on generated folders of 32x32 RGB PNG images (10 classes, under a temporary
 * folder, deleted afterwards), the decode throughput cold (fingerprint, decode, write the cache) and from the cache
 * (fingerprint, map, gather every image into float batches), the process's peak resident memory after each size
 * (from {@code /proc/self/status}), and a tracked run's {@code data_wait_fraction} with the CIFAR VGG spec.
 */
public final class DataBenchmark {

    private DataBenchmark() {
    }

    /** Runs the benchmark for each of {@code sizes} (images) and trains {@code spec} on the last for one epoch. */
    public static void run(List<Integer> sizes, Path spec, int trainImages, PrintStream out) throws IOException {
        Path tmp = Files.createTempDirectory("workbench-bench-data");
        try {
            Path folder = null;
            for (int n : sizes) {
                folder = tmp.resolve("images-" + n);
                long t0 = System.nanoTime();
                generate(folder, n);
                out.printf(Locale.ROOT, "%,d images written in %.1f s%n", n, seconds(t0));
                ExperimentSpec s = new SpecParser().parseFile(spec, List.of("data.dataset=\"folder\"",
                        "data.path=\"" + folder + "\"", "data.test_fraction=0.1"));
                DataCache cache = new DataCache(tmp.resolve("cache"));
                t0 = System.nanoTime();
                Datasets.load(s.data(), cache);
                double cold = n / seconds(t0);
                t0 = System.nanoTime();
                Datasets.TrainTest warm = Datasets.load(s.data(), cache);
                double open = seconds(t0);
                t0 = System.nanoTime();
                long values = pass(warm.train()) + pass(warm.test());
                double fed = n / (open + seconds(t0));
                out.printf(Locale.ROOT, "  a fresh JVM reading the cached set: %s%n", feedInChild(s, tmp.resolve("cache")));
                out.printf(Locale.ROOT, "  decode cold: %,.0f images/s; from the cache (fingerprint + map %.2f s, then"
                        + " every image as float batches): %,.0f images/s (%,d values); memory %s%n", cold, open, fed,
                        values, peakRss());
            }
            ExperimentSpec s = new SpecParser().parseFile(spec, List.of("data.dataset=\"folder\"",
                    "data.path=\"" + folder + "\"", "data.test_fraction=0.1", "data.limit=" + trainImages,
                    "data.test_limit=500", "train.validation=0", "train.epochs=1"));
            Experiment experiment = new SpecResolver(PluginRegistry.builtin()).resolve(s);
            DataSplit split = DataSplit.of(s, new DataCache(tmp.resolve("cache")));
            List<Double> waits = new ArrayList<>();
            double eps = new Trainer(experiment, points -> points.stream()
                    .filter(p -> p.name().equals("data_wait_fraction")).forEach(p -> waits.add(p.value())),
                    TrainingProgress.NONE).train(split).finalMetrics().get("examples_per_second");
            out.printf(Locale.ROOT, "tracked run of %s, %,d images, 1 epoch: %,.0f examples/s trained,"
                    + " data_wait_fraction %.4f%n", spec.getFileName(), trainImages, eps, waits.get(0));
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Runs {@link #main} in a new JVM on the same class path: it opens the cached data set and gathers every image
     * once, then prints its peak resident memory; what it printed.
     */
    private static String feedInChild(ExperimentSpec s, Path cache) throws IOException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                DataBenchmark.class.getName(), cache.toString(), s.data().path()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text.lines().reduce((a, b) -> b).orElse("no output");
    }

    /** The child of {@link #feedInChild}: {@code CACHE_DIR FOLDER}. */
    public static void main(String[] args) {
        dev.cnnworkbench.core.spec.DataSpec d = new dev.cnnworkbench.core.spec.DataSpec("folder", args[1], 0, 0,
                List.of(), 0, 0, List.of(), "crop", "fail", "none", "fine", 0.1, 0, List.of(), true);
        long t0 = System.nanoTime();
        Datasets.TrainTest t = Datasets.load(d, new DataCache(Path.of(args[0])));
        long n = pass(t.train()) + pass(t.test());
        System.out.printf(Locale.ROOT, "%,d values in %.1f s; %s%n", n, seconds(t0), peakRss());
    }

    /** Writes {@code n} 32x32 RGB PNG images into {@code dir/class-K/}, 10 classes, in parallel. */
    static void generate(Path dir, int n) {
        IntStream.range(0, n).parallel().forEach(i -> ImageFixtures.write(
                dir.resolve("class-" + (i % 10)).resolve(String.format("%06d.png", i)),
                ImageFixtures.image(i % 10, i, 32, 32, false)));
    }

    /** Gathers every image of {@code set} in batches of 128, as the trainer would; the values read. */
    private static long pass(ImageSet set) {
        long values = 0;
        for (int from = 0; from < set.size(); from += 128) {
            ImageBatch b = Batches.gather(set, null, from, Math.min(set.size(), from + 128));
            values += b.images().length;
        }
        return values;
    }

    /**
     * Peak resident memory ({@code VmHWM}) and the resident memory now, split into anonymous (heap, native) and
     * file-backed pages (the memory-mapped cache: the kernel's page cache, reclaimable under pressure).
     */
    private static String peakRss() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            StringBuilder out = new StringBuilder();
            for (String key : List.of("VmHWM", "RssAnon", "RssFile")) {
                lines.stream().filter(l -> l.startsWith(key + ":")).findFirst().ifPresent(l -> out.append(out.isEmpty()
                        ? "" : ", ").append(key).append(' ').append(l.substring(key.length() + 1).trim()));
            }
            return out.toString();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static double seconds(long start) {
        return Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    }
}
