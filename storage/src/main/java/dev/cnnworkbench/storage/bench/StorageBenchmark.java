package dev.cnnworkbench.storage.bench;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.HistoryQuery;
import dev.cnnworkbench.storage.MetricHistory;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;

/**
 * Measures the run store on a generated history, in a scratch folder: metric points per second into
 * the embedded database (through {@link RunWriter} batches and through the {@link StorageVerticle}), into
 * an H2 TCP server, the trainer-side cost of publishing points on the event bus, listing and filtering
 * 10,000 runs, and downsampling 100 runs x 100,000 points to 1,000 points each. Prints the median of
 * several repetitions of each. Not a test: run it with {@code ./workbench bench storage} or
 * {@link #main(String[])}.
 */
public final class StorageBenchmark {

    /** The targets, in milliseconds. */
    static final double LIST_TARGET_MS = 200;
    static final double DOWNSAMPLE_TARGET_MS = 300;

    /**
     * How much to generate.
     *
     * @param ingestPoints points per ingest repetition
     * @param runs         runs for the list and filter queries
     * @param curveRuns    runs for the downsampling query
     * @param curvePoints  points per run for the downsampling query
     * @param repetitions  timed repetitions of each measure (after one untimed warm-up)
     */
    public record Sizes(int ingestPoints, int runs, int curveRuns, int curvePoints, int repetitions) {

        /** The sizes of the targets. */
        public static Sizes full() {
            return new Sizes(1_000_000, 10_000, 100, 100_000, 5);
        }

        /** A smaller history, for a quick look (about a tenth of the time). */
        public static Sizes quick() {
            return new Sizes(200_000, 2_000, 20, 20_000, 3);
        }
    }

    private final Sizes sizes;
    private final PrintStream out;
    private final Map<String, Double> results = new LinkedHashMap<>();
    /** A small write between timed queries: H2 reuses a query's result while nothing changed. */
    private Body touch = () -> { };

    private StorageBenchmark(Sizes sizes, PrintStream out) {
        this.sizes = sizes;
        this.out = out;
    }

    /** {@code [--quick] [DIR]}: benchmarks in DIR (default: a temporary folder, deleted afterwards). */
    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path dir = Arrays.stream(args).filter(a -> !a.startsWith("--")).findFirst().map(Path::of).orElse(null);
        boolean temporary = dir == null;
        if (temporary) {
            dir = Files.createTempDirectory("workbench-bench-storage");
        }
        try {
            run(dir, System.out, quick ? Sizes.quick() : Sizes.full());
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    /** Runs every measure at the full sizes in {@code dir} (created if needed) and prints the figures. */
    public static Map<String, Double> run(Path dir, PrintStream out) throws Exception {
        return run(dir, out, Sizes.full());
    }

    /** Runs every measure in {@code dir} and prints the figures; returns them by name. */
    public static Map<String, Double> run(Path dir, PrintStream out, Sizes sizes) throws Exception {
        Files.createDirectories(dir);
        StorageBenchmark bench = new StorageBenchmark(sizes, out);
        out.printf(Locale.ROOT, "storage benchmark: %s, %d cores, Java %s; medians of %d repetitions%n",
                dir.toAbsolutePath(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                sizes.repetitions());
        bench.ingest(dir.resolve("ingest"));
        bench.ingestTcp(dir.resolve("tcp"));
        bench.verticle(dir.resolve("verticle"));
        bench.queries(dir.resolve("runs"));
        bench.downsampling(dir.resolve("curves"));
        return bench.results;
    }

    // ---------------------------------------------------------------- ingest

    private void ingest(Path dir) throws SQLException {
        try (Database db = Database.openEmbedded(dir)) {
            for (int batch : new int[] {1_000, 10_000}) {
                RunWriter writer = new RunWriter(db);
                double[] rates = repeat(rep -> {
                    String run = "ingest" + batch + "r" + rep;
                    writer.insertRun(started(run, "ingest", Map.of()));
                    return rate(sizes.ingestPoints(), () -> writeCurves(writer, run, sizes.ingestPoints(), batch));
                });
                report("ingest.embedded.batch" + batch, "points/s into the embedded database, RunWriter batches of "
                        + batch + " (3 metrics interleaved)", median(rates), "points/s");
            }
        }
    }

    private void ingestTcp(Path dir) throws SQLException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toAbsolutePath().toString(),
                "-ifNotExists").start();
        try (Database db = Database.open("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/bench", "sa", "")) {
            RunWriter writer = new RunWriter(db);
            double[] rates = repeat(rep -> {
                String run = "tcp" + rep;
                writer.insertRun(started(run, "ingest", Map.of()));
                return rate(sizes.ingestPoints(), () -> writeCurves(writer, run, sizes.ingestPoints(), 1_000));
            });
            report("ingest.tcp.batch1000", "points/s into an H2 TCP server on localhost, RunWriter batches of 1000",
                    median(rates), "points/s");
        } finally {
            server.stop();
        }
    }

    /** Writes {@code n} points of train_loss, train_accuracy and lr, interleaved step by step. */
    private static void writeCurves(RunWriter writer, String run, int n, int batch) throws SQLException {
        List<RunWriter.RunPoint> points = new ArrayList<>(batch);
        long t0 = 1_700_000_000_000L;
        String[] names = {"train_loss", "train_accuracy", "lr"};
        for (int i = 0; i < n; i++) {
            long step = i / 3;
            double v = names[i % 3].equals("lr") ? 0.01 : 2.3 * Math.exp(-step / 5e4) + 0.05 * Math.sin(step);
            points.add(new RunWriter.RunPoint(run, new MetricPoint(names[i % 3], step, (int) (step / 469), t0 + step * 7, v)));
            if (points.size() == batch) {
                writer.insertMetrics(points);
                points = new ArrayList<>(batch);
            }
        }
        writer.insertMetrics(points);
    }

    // ---------------------------------------------------------------- the verticle and the bus

    private void verticle(Path dir) throws Exception {
        try (Database db = Database.openEmbedded(dir)) {
            Vertx vertx = Vertx.vertx();
            try {
                BusCodecs.register(vertx);
                vertx.deployVerticle(new StorageVerticle(db, StorageVerticle.Options.spillingTo(dir.resolve("spill"))),
                        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(60, TimeUnit.SECONDS);
                EventBus bus = vertx.eventBus();
                int perMessage = 100;
                double[] rates = repeat(rep -> {
                    String run = "verticle" + rep;
                    bus.publish(Addresses.RUN_STARTED, started(run, "verticle", Map.of()));
                    return rate(sizes.ingestPoints(), () -> {
                        publishCurves(bus, run, sizes.ingestPoints(), perMessage);
                        flush(bus);
                    });
                });
                report("ingest.verticle", "points/s published as MetricBatch of " + perMessage
                        + " points, through the storage verticle, until flushed", median(rates), "points/s");

                for (int size : new int[] {1, 10, 100}) {
                    int messages = Math.max(1_000, sizes.ingestPoints() / size / 5);
                    double[] costs = repeat(rep -> {
                        String run = "publish" + size + "r" + rep;
                        bus.publish(Addresses.RUN_STARTED, started(run, "publish", Map.of()));
                        List<MetricBatch> batches = new ArrayList<>(messages);
                        for (int m = 0; m < messages; m++) {
                            List<MetricPoint> ps = new ArrayList<>(size);
                            for (int k = 0; k < size; k++) {
                                ps.add(new MetricPoint("loss", (long) m * size + k, 0, m, 1.0 / (m + 1)));
                            }
                            batches.add(new MetricBatch(run, ps));
                        }
                        long t = System.nanoTime();
                        for (MetricBatch b : batches) {
                            bus.publish(Addresses.METRICS, b);
                        }
                        double nanos = (System.nanoTime() - t) / (double) ((long) messages * size);
                        flush(bus);
                        return nanos;
                    });
                    report("publish.ns_per_point.batch" + size, "trainer-side publish cost per point, MetricBatch of "
                            + size + " point(s)", median(costs), "ns/point");
                }
            } finally {
                vertx.close().await(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void publishCurves(EventBus bus, String run, int n, int perMessage) {
        List<MetricPoint> batch = new ArrayList<>(perMessage);
        for (int i = 0; i < n; i++) {
            long step = i / 3;
            batch.add(new MetricPoint(i % 3 == 0 ? "train_loss" : i % 3 == 1 ? "train_accuracy" : "lr", step, 0, step,
                    1.0 / (step + 1)));
            if (batch.size() == perMessage) {
                bus.publish(Addresses.METRICS, new MetricBatch(run, batch));
                batch = new ArrayList<>(perMessage);
            }
        }
        if (!batch.isEmpty()) {
            bus.publish(Addresses.METRICS, new MetricBatch(run, batch));
        }
    }

    private static void flush(EventBus bus) throws Exception {
        bus.request(Addresses.STORAGE_FLUSH, "").await(600, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- run tables

    private void queries(Path dir) throws SQLException {
        try (Database db = Database.openEmbedded(dir)) {
            RunWriter writer = new RunWriter(db);
            long t = System.nanoTime();
            Random random = new Random(42);
            String[] optimizers = {"sgd", "momentum", "adam", "adamw", "rmsprop"};
            List<RunWriter.RunPoint> latest = new ArrayList<>();
            for (int i = 0; i < sizes.runs(); i++) {
                String id = String.format(Locale.ROOT, "run%06d", i);
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("optimizer.name", optimizers[random.nextInt(optimizers.length)]);
                params.put("optimizer.lr", Math.pow(10, -1 - 4 * random.nextDouble()));
                params.put("optimizer.momentum", 0.9);
                params.put("regularization.l2", Math.pow(10, -5 + 6 * random.nextDouble()));
                params.put("data.batch_size", 32 << random.nextInt(3));
                params.put("data.augment", random.nextBoolean());
                params.put("training.epochs", 5 + random.nextInt(20));
                params.put("training.seed", random.nextInt(1000));
                params.put("model.name", "lenet5");
                params.put("model.layers[0].filters", 6);
                params.put("model.layers[1].filters", 16);
                params.put("schedule.name", "cosine");
                RunStarted run = new RunStarted(id, "run " + i, "exp" + (i % 20), "{}", params, Map.of("git", "bench"),
                        1_700_000_000_000L + i * 60_000L, 1, "bench", "user" + (i % 7));
                writer.insertRun(run);
                double acc = 0.5 + 0.49 * random.nextDouble();
                for (String m : new String[] {"val_accuracy", "train_accuracy", "train_loss", "val_loss", "test_accuracy"}) {
                    double v = m.endsWith("accuracy") ? acc + 0.01 * random.nextGaussian() : 2.3 * (1 - acc);
                    latest.add(new RunWriter.RunPoint(id, new MetricPoint(m, 1000, 10, 0, v)));
                }
                if (latest.size() >= 5_000) {
                    writer.insertMetrics(latest);
                    latest = new ArrayList<>();
                }
                writer.endRun(new RunEnded(id, i % 30 == 0 ? RunStatus.FAILED : RunStatus.FINISHED, null,
                        1_700_000_000_000L + i * 60_000L + 3_600_000L));
            }
            writer.insertMetrics(latest);
            out.printf(Locale.ROOT, "  (generated %,d runs with 12 params and 5 metrics each in %.1f s)%n", sizes.runs(),
                    (System.nanoTime() - t) / 1e9);

            RunQueries queries = new RunQueries(db);
            touch = () -> writer.setNotes("run000000", "touched " + System.nanoTime());
            time("list.all", "list every run (" + sizes.runs() + ") with params and latest metrics",
                    () -> check(queries.find(RunQuery.all()).runs().size() == sizes.runs()), LIST_TARGET_MS);
            time("list.page", "first page of 50 runs, newest first, with the total",
                    () -> check(queries.find(new RunQuery("", null, true, 0, 50)).total() == sizes.runs()), LIST_TARGET_MS);
            String filter = "params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.9";
            time("filter.param_metric", "filter '" + filter + "', sorted by metrics.val_accuracy, page of 50 + total",
                    () -> check(queries.find(new RunQuery(filter, "metrics.val_accuracy", true, 0, 50)).total() > 0),
                    LIST_TARGET_MS);
            String wide = "experiment in ('exp1', 'exp2', 'exp3') and status = 'FINISHED' or params.optimizer.name like 'adam%'";
            time("filter.columns_like", "filter \"" + wide + "\", sorted by params.optimizer.lr, page of 100 + total",
                    () -> check(queries.find(new RunQuery(wide, "params.optimizer.lr", false, 0, 100)).total() > 0),
                    LIST_TARGET_MS);
            time("filter.all_matching", "filter 'not status = ''FAILED''' returning every matching run",
                    () -> {
                        RunPage page = queries.find(new RunQuery("not status = 'FAILED'", null, true, 0, Integer.MAX_VALUE));
                        check(page.runs().size() == page.total());
                    }, LIST_TARGET_MS);
        }
    }

    // ---------------------------------------------------------------- downsampling

    private void downsampling(Path dir) throws SQLException {
        try (Database db = Database.openEmbedded(dir)) {
            RunWriter writer = new RunWriter(db);
            List<String> ids = new ArrayList<>();
            long t = System.nanoTime();
            Random random = new Random(7);
            for (int r = 0; r < sizes.curveRuns(); r++) {
                String id = String.format(Locale.ROOT, "curve%04d", r);
                ids.add(id);
                writer.insertRun(started(id, "curves", Map.of("optimizer.lr", Math.pow(10, -1 - 3 * random.nextDouble()))));
                List<RunWriter.RunPoint> points = new ArrayList<>(sizes.curvePoints());
                double decay = 2e4 + 6e4 * random.nextDouble();
                for (int s = 0; s < sizes.curvePoints(); s++) {
                    double v = 2.3 * Math.exp(-s / decay) + 0.05 * random.nextGaussian();
                    points.add(new RunWriter.RunPoint(id, new MetricPoint("train_loss", s, s / 469, 1_700_000_000_000L + s * 7L,
                            s == 31_337 % sizes.curvePoints() ? 50.0 : v)));
                }
                writer.insertMetrics(points);
            }
            double secs = (System.nanoTime() - t) / 1e9;
            long total = (long) sizes.curveRuns() * sizes.curvePoints();
            out.printf(Locale.ROOT, "  (generated %d runs x %,d points of train_loss in %.1f s: %,.0f points/s in batches"
                    + " of one run's curve)%n", sizes.curveRuns(), sizes.curvePoints(), secs, total / secs);
            results.put("ingest.embedded.batch_curve", total / secs);

            RunQueries queries = new RunQueries(db);
            touch = () -> writer.setNotes(ids.get(0), "touched " + System.nanoTime());
            time("downsample", sizes.curveRuns() + " runs x " + sizes.curvePoints() + " points of train_loss downsampled"
                    + " to <= 1000 points each (min/max per bucket)", () -> {
                        List<MetricHistory> h = queries.histories(new HistoryQuery(ids, "train_loss", 1_000));
                        check(h.size() == ids.size() && h.stream().allMatch(x -> x.points().size() <= 1_000)
                                && h.stream().allMatch(x -> x.points().stream().anyMatch(p -> p.value() == 50.0)));
                    }, DOWNSAMPLE_TARGET_MS);
            time("history.full", "one run's " + sizes.curvePoints() + " points at full resolution",
                    () -> check(queries.history(ids.get(0), "train_loss").size() == sizes.curvePoints()), 0);
            time("downsample.10runs_k4000", "10 runs downsampled to <= 4000 points each",
                    () -> check(queries.histories(new HistoryQuery(ids.subList(0, Math.min(10, ids.size())), "train_loss",
                            4_000)).size() == Math.min(10, ids.size())), 0);
        }
    }

    // ---------------------------------------------------------------- helpers

    private interface Measure {
        double once(int repetition) throws Exception;
    }

    private interface Body {
        void run() throws Exception;
    }

    /** One warm-up, then the timed repetitions. */
    private double[] repeat(Measure measure) {
        try {
            measure.once(-1);
            double[] values = new double[sizes.repetitions()];
            for (int i = 0; i < values.length; i++) {
                values[i] = measure.once(i);
            }
            return values;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double rate(long items, Body body) throws Exception {
        long t = System.nanoTime();
        body.run();
        return items / ((System.nanoTime() - t) / 1e9);
    }

    private void time(String key, String what, Body body, double targetMs) {
        int reps = Math.max(sizes.repetitions(), 7);
        double[] ms = new double[reps];
        try {
            body.run();
            for (int i = 0; i < reps; i++) {
                touch.run();
                long t = System.nanoTime();
                body.run();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        double median = median(ms);
        results.put(key + ".ms", median);
        out.printf(Locale.ROOT, "%-26s %10.1f ms  %s%s%n", key, median, what,
                targetMs > 0 ? String.format(Locale.ROOT, "  [target < %.0f ms: %s]", targetMs,
                        median < targetMs ? "met" : "MISSED") : "");
    }

    private void report(String key, String what, double value, String unit) {
        results.put(key, value);
        out.printf(Locale.ROOT, "%-26s %,10.0f %s  %s%n", key, value, unit, what);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark query returned an unexpected answer");
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static RunStarted started(String id, String experiment, Map<String, Object> params) {
        return new RunStarted(id, id, experiment, "{}", params, Map.of("git", "bench"), System.currentTimeMillis(),
                ProcessHandle.current().pid(), "bench", "bench");
    }

    private static void deleteTree(Path dir) {
        try {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
