package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.data.DataCache;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.BatchPipeline;
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

/**
 * {@code workbench bench data}: on generated folders of 32x32 RGB PNG images (10 classes, under a temporary
 * folder, deleted afterwards), for each size fresh JVMs ({@link #main}, {@value #CHILD_HEAP}), three of each kind
 * with the median of their peaks reported (the collector's sizing of the young generation varies from run to run):
 * one decodes the
 * folder cold (fingerprint, decode, write the cache; a smaller set again into fresh caches until it has decoded as
 * many images as the largest set has), one reads it from the cache (fingerprint, open, then through
 * the trainer's {@link BatchPipeline} every image as float batches, the training split shuffled, for as many epochs
 * as it takes to read as many images as the largest size has: the same work at every size); each reports its
 * throughput and its own peak resident memory ({@code VmHWM} of {@code /proc/self/status}, with the resident anonymous
 * and file-backed memory at the end), so the figures are those of a process that did only that, at that size. Then a
 * tracked run's {@code data_wait_fraction} with the CIFAR VGG spec, in this process.
 */
public final class DataBenchmark {

    /** The child's batch buffers, one ring for every pass, as the trainer keeps one for every epoch. */
    private static final dev.cnnworkbench.core.data.ImageBatch[] RING = BatchPipeline.newRing();

    /** Fresh JVMs per size and phase; their median peak is reported. */
    private static final int RUNS = 3;

    /** The children's lines by peak RSS: its median, the three peaks, and the median run's line. */
    private static String median(List<String> lines) {
        List<String> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingLong(DataBenchmark::peakKb));
        String mid = sorted.get(sorted.size() / 2);
        return String.format(Locale.ROOT, "peak RSS median %,d kB (%s kB); the median run: %s", peakKb(mid),
                String.join(" / ", lines.stream().map(f -> String.format(Locale.ROOT, "%,d", peakKb(f))).toList()),
                mid);
    }

    /** The {@code VmHWM} a child printed, in kB; -1 when it printed none. */
    private static long peakKb(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("VmHWM (\\d+) kB").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The children's heap limit: the same for every size, so a difference in resident memory is the data's. */
    static final String CHILD_HEAP = "-Xmx1g";

    private DataBenchmark() {
    }

    /** Runs the benchmark for each of {@code sizes} (images) and trains {@code spec} on the last for one epoch. */
    public static void run(List<Integer> sizes, Path spec, int trainImages, PrintStream out) throws IOException {
        Path tmp = Files.createTempDirectory("workbench-bench-data");
        try {
            Path folder = null;
            int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
            for (int n : sizes) {
                folder = tmp.resolve("images-" + n);
                long t0 = System.nanoTime();
                generate(folder, n);
                out.printf(Locale.ROOT, "%,d images written in %.1f s%n", n, seconds(t0));
                Path cache = tmp.resolve("cache-" + n);
                List<String> decodes = new ArrayList<>();
                for (int r = 0; r < RUNS; r++) {
                    decodes.add(child("decode", r == 0 ? cache : tmp.resolve("cache-" + n + "-" + r), folder, max));
                    if (r > 0) {
                        delete(tmp.resolve("cache-" + n + "-" + r));
                    }
                }
                out.printf(Locale.ROOT, "  decode cold (%d fresh JVMs: fingerprint, decode, write the cache, %,d"
                        + " images each): %s%n", RUNS, max, median(decodes));
                List<String> feeds = new ArrayList<>();
                for (int r = 0; r < RUNS; r++) {
                    feeds.add(child("feed", cache, folder, max));
                }
                out.printf(Locale.ROOT, "  from the cache (%d fresh JVMs, %,d images read each, as many as the"
                        + " largest set has): %s%n", RUNS, max, median(feeds));
            }
            ExperimentSpec s = new SpecParser().parseFile(spec, List.of("data.dataset=\"folder\"",
                    "data.path=\"" + folder + "\"", "data.test_fraction=0.1", "data.limit=" + trainImages,
                    "data.test_limit=500", "train.validation=0", "train.epochs=1"));
            Experiment experiment = new SpecResolver(PluginRegistry.builtin()).resolve(s);
            DataSplit split = DataSplit.of(s, new DataCache(tmp.resolve("cache-" + sizes.get(sizes.size() - 1))));
            List<Double> waits = new ArrayList<>();
            double eps = new Trainer(experiment, points -> points.stream()
                    .filter(p -> p.name().equals("data_wait_fraction")).forEach(p -> waits.add(p.value())),
                    TrainingProgress.NONE).train(split).finalMetrics().get("examples_per_second");
            out.printf(Locale.ROOT, "tracked run of %s, %,d images, 1 epoch: %,.0f examples/s trained,"
                    + " data_wait_fraction %.4f%n", spec.getFileName(), trainImages, eps, waits.get(0));
        } finally {
            delete(tmp);
        }
    }

    private static void delete(Path dir) {
        try {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * Runs {@link #main} {@code PHASE CACHE FOLDER IMAGES} in a new JVM on the same class path; the last line it
     * printed.
     */
    private static String child(String phase, Path cache, Path folder, int images) throws IOException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), CHILD_HEAP, "-cp", System.getProperty("java.class.path"),
                DataBenchmark.class.getName(), phase, cache.toString(), folder.toString(), String.valueOf(images))
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                return "failed (exit " + p.exitValue() + "): " + text;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text.lines().reduce((a, b) -> b).orElse("no output");
    }

    /**
     * The child of {@link #child}: {@code decode CACHE FOLDER IMAGES} decodes the folder into an empty cache (and,
     * until it has decoded {@code IMAGES}, into further fresh caches, deleted again);
     * {@code feed CACHE FOLDER IMAGES} opens it from the cache and reads epochs (every image, the training split
     * shuffled, in batches of 128) until it has read at least {@code IMAGES}, so that every size does the same work
     * (a smaller set is read for more epochs) and a difference in memory is the data set's, not the garbage of more
     * batches. Prints images per second and its peak resident memory.
     */
    public static void main(String[] args) {
        dev.cnnworkbench.core.spec.DataSpec d = new dev.cnnworkbench.core.spec.DataSpec("folder", args[2], 0, 0,
                List.of(), 0, 0, List.of(), "crop", "fail", "none", "fine", 0.1, 0, List.of(), true);
        long t0 = System.nanoTime();
        Datasets.TrainTest t = Datasets.load(d, new DataCache(Path.of(args[1])));
        int n = t.train().size() + t.test().size();
        if (args[0].equals("decode")) {
            double first = seconds(t0);
            int rounds = Math.max(1, (Integer.parseInt(args[3]) + n - 1) / n);
            for (int r = 1; r < rounds; r++) { // the same work at every size: fresh caches until as many images
                Path again = Path.of(args[1] + "-round-" + r);
                Datasets.load(d, new DataCache(again));
                delete(again);
            }
            System.out.printf(Locale.ROOT, "%,.0f images/s (%,d images in %.1f s), decoded %d time(s) into a fresh"
                    + " cache; %s%n", n / first, n, first, rounds, peakRss());
            return;
        }
        double open = seconds(t0);
        int epochs = Math.max(1, (Integer.parseInt(args[3]) + n - 1) / n);
        long values = 0;
        long t1 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            int[] order = Datasets.permutation(t.train().size(),
                    java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(e));
            values += pass(t.train(), order) + pass(t.test(), null);
        }
        System.out.printf(Locale.ROOT, "fingerprint + open %.2f s, then %d epoch(s) of every image as float batches:"
                + " %,.0f images/s (%,d values); %s%n", open, epochs, (double) epochs * n / seconds(t1), values,
                peakRss());
    }

    /** Writes {@code n} 32x32 RGB PNG images into {@code dir/class-K/}, 10 classes, in parallel. */
    static void generate(Path dir, int n) {
        IntStream.range(0, n).parallel().forEach(i -> ImageFixtures.write(
                dir.resolve("class-" + (i % 10)).resolve(String.format("%06d.png", i)),
                ImageFixtures.image(i % 10, i, 32, 32, false)));
    }

    /**
     * Gathers every image of {@code set} in batches of 128 in {@code order} (null: as stored) through the trainer's
     * {@link BatchPipeline} (a worker thread, no augmentation); the values read.
     */
    private static long pass(ImageSet set, int[] order) {
        int batches = (set.size() + 127) / 128;
        long values = 0;
        try (BatchPipeline pipeline = new BatchPipeline(set, order, 128, batches, List.of(),
                java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(2), RING)) {
            for (int b = 0; b < batches; b++) {
                values += pipeline.next().images().length;
            }
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
