package dev.cnnworkbench.web.bench;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.web.RunStore;
import dev.cnnworkbench.web.WebServer;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Page-ready time of the dashboard in headless Chromium, against the 1-second target: the compare page with
 * 20 runs of 50,000 points each (one panel), the compare grid (6 panels, one metric each, of those 20 runs: target
 * 1.5 s), and the runs page over 10,000 runs (first page, a filter on a parameter and a metric
 * sorted by a metric, a page deep in the list). Page-ready is the {@code page-ready} performance mark the pages set
 * two animation frames after drawing what they loaded (so after the paint), in milliseconds since navigation
 * started: HTML, modules, API requests, rendering. Each page is loaded once cold (empty browser cache), then
 * {@code loads} times; the median, the spread and the median's ratio to the target are printed, with the time of the
 * page's API request alone ({@code --detail}: also each resource's start and end and the page's marks in the last
 * load; {@code --only=compare} or {@code --only=runs}: those pages only), and the CPU time the page's main thread
 * spent (Chromium's TaskDuration: script, style, layout, paint; on a loaded machine page-ready is mostly the wait for
 * a core, this is what the page itself costs). Not a test.
 *
 * <p>Run it with {@code ./workbench bench dashboard [--quick] [--detail] [--only=compare|runs]}.
 */
public final class DashboardBenchmark {

    static final double TARGET_MS = 1_000;

    /** How much to generate and how often to load each page. */
    record Sizes(int runs, int curveRuns, int curvePoints, int loads) {

        static Sizes full() {
            return new Sizes(10_000, 20, 50_000, 7);
        }

        static Sizes quick() {
            return new Sizes(2_000, 20, 10_000, 3);
        }
    }

    /** One page to measure: its URL, what must be on it once ready, and its target page-ready time. */
    private record Page(String name, String path, String api, Predicate<WebDriver> check, double targetMs) {

        Page(String name, String path, String api, Predicate<WebDriver> check) {
            this(name, path, api, check, TARGET_MS);
        }
    }

    /** The compare grid's panels: one metric each, every curve run recording all of them. */
    static final List<String> GRID_METRICS = List.of("train_loss", "val_loss", "train_accuracy", "val_accuracy", "lr",
            "grad_norm");
    static final double GRID_TARGET_MS = 1_500;
    /** About the points per curve a panel of the 1400-pixel window asks for (one per pixel of its width). */
    static final int PANEL_POINTS = 700;

    private final Sizes sizes;
    private final PrintStream out;
    private final boolean detail;
    private final String only;

    private DashboardBenchmark(Sizes sizes, PrintStream out, boolean detail, String only) {
        this.sizes = sizes;
        this.out = out;
        this.detail = detail;
        this.only = only;
    }

    /**
     * Runs the benchmark with the command line's options ({@code --quick}, {@code --detail}, {@code --only=NAME}),
     * printing to {@code out}; returns 2 when Chromium or its driver is missing, else 0.
     */
    public static int run(List<String> args, PrintStream out) throws Exception {
        Sizes sizes = args.contains("--quick") ? Sizes.quick() : Sizes.full();
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            System.err.println(missing);
            return 2;
        }
        Path dir = Files.createTempDirectory("workbench-bench-dashboard");
        try {
            String only = args.stream().filter(a -> a.startsWith("--only=")).map(a -> a.substring(7)).findFirst().orElse("");
            new DashboardBenchmark(sizes, out, args.contains("--detail"), only).run(dir);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        }
        return 0;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void run(Path dir) throws Exception {
        out.printf(Locale.ROOT, "dashboard benchmark: %d cores, Java %s, %s; page-ready in headless Chromium, median of %d"
                        + " loads after one cold load%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), HeadlessChromium.CHROMIUM, sizes.loads());
        try (Database db = Database.openEmbedded(dir.resolve("home"))) {
            long t = System.nanoTime();
            List<String> curves = seedCurves(db);
            out.printf(Locale.ROOT, "  (generated %d runs x %,d points of %s in %.1f s)%n", sizes.curveRuns(),
                    sizes.curvePoints(), curveMetrics(), (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            if (!only.equals("compare")) {
                seedRuns(db);
            }
            out.printf(Locale.ROOT, "  (generated %,d runs with 8 params and 5 metrics each in %.1f s)%n", sizes.runs(),
                    (System.nanoTime() - t) / 1e9);
            Vertx vertx = Vertx.vertx();
            BusCodecs.register(vertx);
            WebServer server = new WebServer(new RunStore(new RunQueries(db)), "127.0.0.1", 0);
            await(vertx.deployVerticle(server));
            try (HeadlessChromium browser = HeadlessChromium.start(Files.createDirectories(dir.resolve("profile")))) {
                String base = "http://127.0.0.1:" + server.port();
                String ids = String.join(",", curves);
                String filter = "params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.9";
                List<Page> pages = List.of(
                        new Page("compare: " + sizes.curveRuns() + " runs x " + sizes.curvePoints() + " points",
                                "/compare.html?runs=" + ids + "&metric=train_loss",
                                "/api/metrics?runs=" + ids + "&names=train_loss&points=" + PANEL_POINTS + "&fields=step,value",
                                d -> String.valueOf(sizes.curveRuns()).equals(attr(d, ".panel .chart-box", "data-series"))),
                        new Page("compare grid: " + GRID_METRICS.size() + " panels x " + sizes.curveRuns() + " runs x "
                                + sizes.curvePoints() + " points",
                                "/compare.html?runs=" + ids + "&metrics=" + String.join(",", GRID_METRICS),
                                "/api/metrics?runs=" + ids + "&names=" + String.join(",", GRID_METRICS) + "&points="
                                        + PANEL_POINTS + "&fields=step,value",
                                d -> d.findElements(By.cssSelector(".panel .chart-box")).stream().filter(e ->
                                        String.valueOf(sizes.curveRuns()).equals(e.getAttribute("data-series"))).count()
                                        == GRID_METRICS.size(), GRID_TARGET_MS),
                        new Page("runs: first page of " + total() + " runs", "/", "/api/runs?limit=50",
                                d -> rows(d) == 50),
                        new Page("runs: filter + sort by metric", "/?filter=" + enc(filter) + "&sort=metrics.val_accuracy",
                                "/api/runs?limit=50&sort=metrics.val_accuracy&filter=" + enc(filter), d -> rows(d) == 50),
                        new Page("runs: page at offset " + (sizes.runs() - 50), "/?offset=" + (sizes.runs() - 50),
                                "/api/runs?limit=50&offset=" + (sizes.runs() - 50), d -> rows(d) == 50));
                out.printf(Locale.ROOT, "%n%-52s %9s %9s %9s %9s %8s %9s %9s%n", "page", "cold ms", "median", "min", "max",
                        "target", "api ms", "cpu ms");
                for (Page page : pages) {
                    if (only.isEmpty() || page.name().startsWith(only)) {
                        measure(browser.driver, base, page);
                    }
                }
            } finally {
                await(vertx.close());
            }
        }
    }

    private void measure(ChromeDriver driver, String base, Page page) throws Exception {
        double cold = load(driver, base + page.path(), page.check());
        double[] times = new double[sizes.loads()];
        double[] cpu = new double[sizes.loads()];
        driver.executeCdpCommand("Performance.enable", Map.of("timeDomain", "threadTicks"));
        for (int i = 0; i < times.length; i++) {
            driver.get("about:blank");
            double before = taskSeconds(driver);
            times[i] = load(driver, base + page.path(), page.check());
            cpu[i] = (taskSeconds(driver) - before) * 1000;
        }
        double[] api = new double[sizes.loads()];
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < api.length; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page.api())).build(),
                    HttpResponse.BodyHandlers.ofString());
            api[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(page.api() + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        if (detail) {
            out.println("    " + ((JavascriptExecutor) driver).executeScript("return performance.getEntriesByType('resource')"
                    + ".map(e => e.name.replace(location.origin, '').slice(0, 40) + ' ' + Math.round(e.startTime) + '-'"
                    + " + Math.round(e.responseEnd)).join('\\n    ') + '\\n    DOMContentLoaded '"
                    + " + Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)"
                    + " + performance.getEntriesByType('mark').map(m => '\\n    mark ' + m.name + ' ' + Math.round(m.startTime)).join('');"));
        }
        double median = median(times);
        out.printf(Locale.ROOT, "%-52s %9.0f %9.0f %9.0f %9.0f %7.2fx %9.0f %9.0f%n", page.name(), cold, median,
                Arrays.stream(times).min().orElse(0), Arrays.stream(times).max().orElse(0), median / page.targetMs(), median(api),
                median(cpu));
    }

    /**
     * The CPU time the page's main thread has spent on tasks (script, style, layout, paint), in seconds: on a loaded
     * machine page-ready measures mostly the wait for a core, this what the page itself costs.
     */
    private static double taskSeconds(ChromeDriver driver) {
        for (Object o : (List<?>) driver.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics")) {
            if (o instanceof Map<?, ?> m && "TaskDuration".equals(m.get("name"))) {
                return ((Number) m.get("value")).doubleValue();
            }
        }
        throw new IllegalStateException("Chromium reports no TaskDuration metric");
    }

    /** Loads {@code url} from a blank page and returns its page-ready time in ms after checking what it shows. */
    private static double load(WebDriver driver, String url, Predicate<WebDriver> check) {
        driver.get("about:blank");
        driver.get(url);
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> "true".equals(attr(d, "body", "data-ready")));
        if (!check.test(driver)) {
            throw new IllegalStateException(url + " did not show what it should once ready");
        }
        Object ms = ((JavascriptExecutor) driver).executeScript(
                "const m = performance.getEntriesByName('page-ready'); return m.length ? m[0].startTime : null;");
        if (ms == null) {
            throw new IllegalStateException(url + " set no page-ready mark");
        }
        return ((Number) ms).doubleValue();
    }

    private static String attr(WebDriver d, String css, String name) {
        return d.findElement(By.cssSelector(css)).getAttribute(name);
    }

    private static int rows(WebDriver d) {
        return d.findElements(By.cssSelector("#runs-body tr")).size();
    }

    private int total() {
        return sizes.runs() + sizes.curveRuns();
    }

    /** The metrics every curve run records: train_loss alone, or the grid's when the grid is measured. */
    private List<String> curveMetrics() {
        return only.isEmpty() || "compare grid".startsWith(only) || only.startsWith("compare grid") ? GRID_METRICS
                : List.of("train_loss");
    }

    /** {@code curveRuns} runs, each with {@code curvePoints} steps of each {@link #curveMetrics()}; returns their ids. */
    private List<String> seedCurves(Database db) throws SQLException {
        RunWriter writer = new RunWriter(db);
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < sizes.curveRuns(); r++) {
            String id = String.format(Locale.ROOT, "curve%02d", r);
            writer.insertRun(started(id, "curve " + r, "curves", Map.of("optimizer.lr", Math.pow(10, -1 - 3 * random.nextDouble())),
                    1_800_000_000_000L + r));
            double decay = 2_000 + 20_000 * random.nextDouble();
            List<RunWriter.RunPoint> batch = new ArrayList<>();
            for (int s = 0; s < sizes.curvePoints(); s++) {
                double v = 2.3 * Math.exp(-s / decay) + 0.05 + 0.05 * random.nextGaussian();
                for (String metric : curveMetrics()) {
                    double value = metric.endsWith("accuracy") ? Math.max(0, 1 - v / 2.4) : metric.equals("lr")
                            ? 0.01 * Math.exp(-s / decay) : v;
                    batch.add(new RunWriter.RunPoint(id, new MetricPoint(metric, s, s / 1_000, 1_800_000_000_000L + s * 50L, value)));
                }
                if (batch.size() >= 10_000) {
                    writer.insertMetrics(batch);
                    batch = new ArrayList<>();
                }
            }
            writer.insertMetrics(batch);
            writer.endRun(new RunEnded(id, RunStatus.FINISHED, null, 1_800_000_000_000L + sizes.curvePoints() * 50L));
            ids.add(id);
        }
        return ids;
    }

    /** {@code runs} finished runs with eight parameters and five latest metrics each, as the store benchmark makes them. */
    private void seedRuns(Database db) throws SQLException {
        RunWriter writer = new RunWriter(db);
        Random random = new Random(42);
        String[] optimizers = {"sgd", "momentum", "nesterov", "adam", "rmsprop"};
        List<RunWriter.RunPoint> latest = new ArrayList<>();
        for (int i = 0; i < sizes.runs(); i++) {
            String id = String.format(Locale.ROOT, "run%06d", i);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("optimizer.type", optimizers[random.nextInt(optimizers.length)]);
            params.put("optimizer.lr", Math.pow(10, -1 - 4 * random.nextDouble()));
            params.put("regularization.l2", Math.pow(10, -5 + 6 * random.nextDouble()));
            params.put("train.batch", 32 << random.nextInt(3));
            params.put("train.epochs", 5 + random.nextInt(20));
            params.put("train.seed", random.nextInt(1000));
            params.put("model.layers[0].filters", 6);
            params.put("schedule.type", "cosine");
            long start = 1_700_000_000_000L + i * 60_000L;
            writer.insertRun(started(id, "run " + i, "exp" + (i % 20), params, start));
            double acc = 0.5 + 0.49 * random.nextDouble();
            for (String m : new String[] {"val_accuracy", "train_accuracy", "train_loss", "val_loss", "test_accuracy"}) {
                double v = m.endsWith("accuracy") ? acc + 0.01 * random.nextGaussian() : 2.3 * (1 - acc);
                latest.add(new RunWriter.RunPoint(id, new MetricPoint(m, 1000, 10, start, v)));
            }
            if (latest.size() >= 5_000) {
                writer.insertMetrics(latest);
                latest = new ArrayList<>();
            }
            writer.endRun(new RunEnded(id, i % 30 == 0 ? RunStatus.FAILED : RunStatus.FINISHED, null, start + 3_600_000L));
        }
        writer.insertMetrics(latest);
    }

    private static RunStarted started(String id, String name, String experiment, Map<String, Object> params, long start) {
        return new RunStarted(id, name, experiment, "{}", params, Map.of("bench", "dashboard"), start, 1, "bench", "bench-user");
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
