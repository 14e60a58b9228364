package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.web.bench.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person uses it, in Debian's headless Chromium driven by its own chromedriver
 * (never a downloaded one), against a server on a free port with a temp database. Runs are written
 * by publishing on the event bus, as a trainer does; sweep trials, a snapshot ensemble and a run with per-layer
 * diagnostics straight into the database ({@link Seeder}). Screenshots go to {@code target/screenshots/}.
 */
class DashboardIT {

    static final Path SCREENSHOTS = Path.of(System.getProperty("workbench.screenshots", "target/screenshots"));

    @TempDir
    static Path home;
    @TempDir
    static Path profile;
    static TestStack stack;
    static HeadlessChromium browser;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws IOException {
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            fail(missing);
        }
        stack = TestStack.start(home);
        stack.startRun("adam", "lenet-adam", Map.of("optimizer.type", "adam", "optimizer.lr", 0.001, "train.epochs", 3.0));
        stack.metrics("adam", "train_loss", 0, 300, s -> 2.3 * Math.exp(-s / 80.0) + 0.2);
        stack.metrics("adam", "lr", 0, 300, s -> 0.001);
        stack.endRun("adam", RunStatus.FINISHED, null);
        stack.startRun("sgd", "lenet-sgd", Map.of("optimizer.type", "sgd", "optimizer.lr", 0.1, "train.epochs", 3.0));
        stack.metrics("sgd", "train_loss", 0, 300, s -> 2.3 * Math.exp(-s / 150.0) + 0.3);
        stack.metrics("sgd", "lr", 0, 300, s -> 0.1);
        stack.endRun("sgd", RunStatus.FAILED, "loss became NaN at step 301");
        stack.flush();
        // sweeps, ensembles and diagnostics straight into the database, as their runs record them
        Seeder seed = new Seeder(stack.db);
        SweepApiTest.seedSweep(seed, "lr-sweep", 12);
        EnsembleApiTest.seedSnapshotRun(seed, "snap", 100, 5);
        seedDiagnostics(seed, "diag");

        browser = HeadlessChromium.start(profile);
        driver = browser.driver;
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theRunsTableListsRunsFiltersThemAndComparesASelection() throws Exception {
        open("/");
        assertThat(rows()).extracting(r -> r.getAttribute("data-run")).contains("adam", "sgd");
        int all = rows().size();
        assertThat(driver.findElement(By.cssSelector("tr[data-run=sgd] .status")).getText()).isEqualTo("FAILED");
        assertThat(driver.findElement(By.cssSelector("tr[data-run=adam]")).getText()).contains("lenet-adam", "FINISHED");
        screenshot("runs");

        // the filter box takes the store's filter language, evaluated by the server
        WebElement filter = driver.findElement(By.id("filter"));
        filter.sendKeys("params.optimizer.type = 'sgd'" + Keys.ENTER);
        wait(10).until(d -> ids().equals(List.of("sgd")));
        assertThat(text("#run-count")).isEqualTo("(1 matching)");
        assertThat(driver.getCurrentUrl()).contains("filter=");

        // a malformed filter says what is wrong and points at it
        filter.clear();
        filter.sendKeys("status = 'FAILED' and params.lr <" + Keys.ENTER);
        WebElement error = driver.findElement(By.id("filter-error"));
        wait(10).until(d -> error.isDisplayed());
        assertThat(error.getAttribute("data-position")).isEqualTo("33");
        assertThat(text("#filter-error-message")).contains("position 33");
        assertThat(text("#filter-error-caret")).endsWith("\n" + " ".repeat(33) + "^");
        assertThat(filter.getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("runs-filter-error");

        filter.clear();
        filter.sendKeys(Keys.ENTER);
        wait(10).until(d -> rows().size() == all && !error.isDisplayed());

        driver.findElement(By.cssSelector("input[data-run=adam]")).click();
        driver.findElement(By.cssSelector("input[data-run=sgd]")).click();
        driver.findElement(By.id("compare")).click();
        wait(10).until(ExpectedConditions.urlContains("/compare.html"));
        waitReady();
        assertThat(driver.findElement(By.cssSelector(".panel[data-metric=train_loss] .chart-box")).getAttribute("data-series"))
                .isEqualTo("2");
    }

    @Test
    void aRunsCurveGrowsLiveOnItsPage() throws Exception {
        stack.startRun("live", "lenet-live", Map.of("optimizer.type", "adam", "optimizer.lr", 0.003));
        stack.metrics("live", "train_loss", 0, 20, s -> 2.0 / (1 + s / 10.0));
        stack.flush();
        open("/run.html?id=live");
        WebElement chart = driver.findElement(By.id("chart-loss"));
        wait(10).until(d -> points(chart) >= 20);
        assertThat(text("#run-status .status")).isEqualTo("RUNNING");
        ((JavascriptExecutor) driver).executeScript("window.__samePage = true;");

        for (int step = 20; step < 200; step += 20) {
            int from = step;
            stack.metrics("live", "train_loss", from, from + 20, s -> 2.0 / (1 + s / 10.0));
            stack.metrics("live", "lr", from, from + 20, s -> 0.003);
            int expected = from + 20;
            wait(10).until(d -> points(chart) >= expected);
        }
        assertThat(points(chart)).isEqualTo(200);
        assertThat(points(driver.findElement(By.id("chart-lr")))).isEqualTo(180);
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__samePage === true;"))
                .as("the curve grew without a reload").isEqualTo(true);
        assertThat(driver.findElement(By.id("spec")).getText()).contains("\"optimizer\"");
        screenshot("run");

        stack.endRun("live", RunStatus.FINISHED, null);
        wait(10).until(d -> "FINISHED".equals(text("#run-status .status")));
    }

    @Test
    void aFailedRunShowsItsError() {
        open("/run.html?id=sgd");
        WebElement error = driver.findElement(By.id("error"));
        wait(10).until(d -> error.isDisplayed());
        assertThat(error.getText()).contains("FAILED", "loss became NaN at step 301");
        assertThat(driver.findElement(By.id("provenance")).getText()).contains("backend", "cpu");
    }

    @Test
    void aRunsWarningsAndItsImageArtifactShowOnItsPage() throws Exception {
        stack.startRun("warned", "lenet-warned", Map.of("optimizer.type", "adam", "optimizer.lr", 3.0));
        stack.metrics("warned", "train_loss", 0, 50, s -> 9.0 - s / 10.0);
        stack.warn("warned", "initial_loss", 0, "initial loss 9.0 is far from ln(10) = 2.30: check the last layer's init");
        stack.artifact("warned", "image", "first-layer filters", "warned/filters-0049.png", TestStack.png(24), "image/png", 49);
        stack.artifact("warned", "model", "final network", "warned/model.zip", new byte[] {80, 75, 5, 6}, "application/zip", 49);
        stack.flush();
        open("/run.html?id=warned");

        WebElement warnings = driver.findElement(By.id("warnings"));
        wait(10).until(d -> warnings.isDisplayed());
        WebElement first = driver.findElement(By.cssSelector("#warning-list li[data-kind=initial_loss]"));
        assertThat(first.findElement(By.className("kind")).getText()).isEqualTo("initial_loss");
        assertThat(first.findElement(By.className("step")).getText()).isEqualTo("step 0");
        assertThat(first.findElement(By.className("message")).getText()).contains("far from ln(10)");

        WebElement thumb = driver.findElement(By.cssSelector("#artifacts-body tr[data-kind=image] img.thumb"));
        wait(10).until(d -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", thumb)).intValue() == 24);
        assertThat(thumb.getAttribute("alt")).isEqualTo("first-layer filters");
        WebElement model = driver.findElement(By.cssSelector("#artifacts-body tr[data-kind=model]"));
        assertThat(model.getText()).contains("final network", "application/zip");
        assertThat(model.findElements(By.tagName("img"))).as("only images get a thumbnail").isEmpty();
        assertThat(model.findElement(By.className("download")).getAttribute("href")).matches(".*/api/artifacts/\\d+$");
        assertThat(driver.findElement(By.id("no-artifacts")).isDisplayed()).isFalse();

        // a warning raised while the page is open appears without a reload
        ((JavascriptExecutor) driver).executeScript("window.__samePage = true;");
        stack.warn("warned", "update_ratio", 50, "update/weight ratio 0.4 is far above 1e-3: lower the learning rate");
        wait(10).until(d -> driver.findElements(By.cssSelector("#warning-list li")).size() == 2);
        assertThat(driver.findElement(By.cssSelector("#warning-list li[data-kind=update_ratio] .step")).getText())
                .isEqualTo("step 50");
        assertThat(text("#warning-count")).isEqualTo("2");
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__samePage === true;")).isEqualTo(true);
        screenshot("run-warnings");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('artifacts').scrollIntoView();");
        screenshot("run-artifacts");

        // the end reloads the run: its stored warnings are the ones already shown, not shown twice
        stack.endRun("warned", RunStatus.FAILED, "loss became NaN");
        wait(10).until(d -> "FAILED".equals(text("#run-status .status")));
        assertThat(driver.findElements(By.cssSelector("#warning-list li"))).hasSize(2);
        assertThat(text("#warning-count")).isEqualTo("2");
    }

    @Test
    void twoRunsAreOverlaidOnTheComparePageOnePanelPerMetric() throws Exception {
        open("/compare.html?runs=adam,sgd&metrics=train_loss,lr&smooth=0.5");
        assertThat(driver.findElements(By.cssSelector("#panels .panel"))).extracting(p -> p.getAttribute("data-metric"))
                .containsExactly("train_loss", "lr");
        WebElement chart = driver.findElement(By.cssSelector(".panel[data-metric=train_loss] .chart-box"));
        assertThat(chart.getAttribute("data-series")).isEqualTo("2");
        assertThat(points(chart)).isEqualTo(600);
        assertThat(text(".panel[data-metric=train_loss] .chart-title")).isEqualTo("train_loss");
        assertThat(driver.findElement(By.cssSelector(".panel[data-metric=train_loss] .u-legend")).getText())
                .contains("lenet-adam", "lenet-sgd");
        List<String> differing = driver.findElements(By.cssSelector("#params tr.diff")).stream()
                .map(r -> r.getAttribute("data-param")).collect(Collectors.toList());
        assertThat(differing).containsExactlyInAnyOrder("optimizer.type", "optimizer.lr");
        assertThat(driver.findElement(By.cssSelector("#params tr[data-param='train.epochs']")).getAttribute("class")).isEmpty();
        screenshot("compare");

        driver.findElement(By.id("only-diff")).click();
        assertThat(driver.findElements(By.cssSelector("#params tbody tr"))).hasSize(2);
        driver.findElement(By.id("log")).click();
        new Select(driver.findElement(By.id("x-mode"))).selectByValue("epoch");
        driver.findElement(By.cssSelector("#metric-chooser input[data-metric=train_loss]")).click();
        wait(10).until(d -> driver.getCurrentUrl().contains("metrics=lr&") && driver.getCurrentUrl().contains("log=1"));
        wait(10).until(d -> driver.findElements(By.cssSelector("#panels .panel")).size() == 1);
        WebElement lr = driver.findElement(By.cssSelector(".panel[data-metric=lr] .chart-box"));
        wait(10).until(d -> points(lr) == 600 && "2".equals(lr.getAttribute("data-series")));
        assertThat(driver.findElement(By.cssSelector(".panel[data-metric=lr] .u-legend")).getText()).contains("epoch");
        new Select(driver.findElement(By.id("x-mode"))).selectByValue("time");
        wait(10).until(d -> driver.findElement(By.cssSelector(".panel[data-metric=lr] .u-legend")).getText().contains("relative time"));
        assertThat(points(lr)).isEqualTo(600);
    }

    @Test
    void aPanelZoomedByDraggingFetchesItsRangeAgainAndKeepsTheZoom() throws Exception {
        open("/compare.html?runs=adam,sgd&metrics=train_loss,lr");
        WebElement chart = driver.findElement(By.cssSelector(".panel[data-metric=train_loss] .chart-box"));
        WebElement over = chart.findElement(By.cssSelector(".u-over"));
        int width = over.getSize().getWidth();
        new Actions(driver).moveToElement(over, -width / 4, 0).clickAndHold().moveByOffset(width / 4, 0).release().perform();
        wait(10).until(d -> chart.getAttribute("data-detail") != null);
        String[] range = chart.getAttribute("data-detail").split("-");
        long from = Long.parseLong(range[0]);
        long to = Long.parseLong(range[1]);
        assertThat(from).isBetween(20L, 130L);
        assertThat(to).isBetween(from + 20, 200L);
        // the detail replaced the overview's points of that range: the whole curve is still there to zoom out to
        assertThat(points(chart)).isEqualTo(600);
        Object shown = ((JavascriptExecutor) driver).executeScript("const x = arguments[0].chart.plot.scales.x;"
                + " return [x.min, x.max];", chart);
        assertThat((List<?>) shown).extracting(v -> ((Number) v).doubleValue())
                .allSatisfy(v -> assertThat(v).isBetween(from - 5.0, to + 5.0));
        screenshot("compare-zoomed");
    }

    @Test
    void sortingByAParameterColumnIsDoneByTheServer() {
        open("/?filter=" + enc("id in ('adam', 'sgd')") + "&cols=params.optimizer.lr");
        assertThat(ids()).containsExactly("sgd", "adam");
        driver.findElement(By.cssSelector("th[data-key='params.optimizer.lr']")).click();
        wait(10).until(d -> ids().equals(List.of("adam", "sgd")));
        assertThat(driver.findElement(By.cssSelector("th[data-key='params.optimizer.lr']")).getAttribute("aria-sort"))
                .isEqualTo("ascending");
        driver.findElement(By.cssSelector("th[data-key='params.optimizer.lr']")).click();
        wait(10).until(d -> ids().equals(List.of("sgd", "adam")));
        assertThat(driver.getCurrentUrl()).contains("sort=params.optimizer.lr");
    }

    @Test
    void tagsAndNotesAreEditedInPlace() throws Exception {
        open("/?filter=" + enc("id = 'adam'"));
        driver.findElement(By.cssSelector("tr[data-run=adam] button.chip-add")).click();
        driver.switchTo().activeElement().sendKeys("baseline, keep" + Keys.ENTER);
        wait(10).until(d -> driver.findElements(By.cssSelector("tr[data-run=adam] .tag")).size() == 2);
        driver.findElement(By.cssSelector("tr[data-run=adam] [data-notes=adam]")).click();
        driver.switchTo().activeElement().sendKeys("the one to beat" + Keys.ENTER);
        wait(10).until(d -> "the one to beat".equals(text("tr[data-run=adam] [data-notes=adam]")));
        screenshot("runs-tags");
        io.vertx.core.json.JsonObject stored = new io.vertx.core.json.JsonObject(stack.get("/api/runs/adam").body());
        assertThat(stored.getJsonArray("tags").getList()).containsExactly("baseline", "keep");
        assertThat(stored.getString("notes")).isEqualTo("the one to beat");

        driver.findElement(By.cssSelector("tr[data-run=adam] .tag[data-tag=keep] button.chip-x")).click();
        wait(10).until(d -> driver.findElements(By.cssSelector("tr[data-run=adam] .tag")).size() == 1);
        // the tag filter finds it
        open("/?filter=" + enc("tag = 'baseline'"));
        assertThat(ids()).containsExactly("adam");
    }

    @Test
    void aSweepPageShowsItsParallelCoordinatesScattersAndBestTrial() throws Exception {
        open("/sweep.html");
        assertThat(driver.findElement(By.cssSelector("tr[data-sweep=lr-sweep]")).getText()).contains("lr-sweep", "12");
        screenshot("sweeps");
        driver.findElement(By.cssSelector("tr[data-sweep=lr-sweep] a")).click();
        waitReady();
        WebElement parallel = driver.findElement(By.id("parallel"));
        assertThat(parallel.getAttribute("data-rendered")).isEqualTo("true");
        assertThat(parallel.getAttribute("data-axes")).as("lr, dropout and the objective").isEqualTo("3");
        assertThat(parallel.getAttribute("data-trials")).as("the failed trial has no objective").isEqualTo("11");
        assertThat(parallel.getAttribute("data-best")).isEqualTo("lr-sweep-2");
        assertThat(parallel.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(driver.findElement(By.cssSelector("[data-param='optimizer.lr']")).getAttribute("data-scale")).isEqualTo("log");
        assertThat(driver.findElement(By.cssSelector("[data-param='regularization.dropout']")).getAttribute("data-scale"))
                .isEqualTo("linear");
        WebElement best = driver.findElement(By.cssSelector("#trials tbody tr"));
        assertThat(best.getAttribute("class")).isEqualTo("best");
        assertThat(best.getAttribute("data-run")).isEqualTo("lr-sweep-2");
        screenshot("sweep");

        new Select(driver.findElement(By.id("objective"))).selectByValue("val_loss");
        wait(10).until(d -> driver.getCurrentUrl().contains("objective=val_loss") && driver.getCurrentUrl().contains("direction=min"));
        wait(10).until(d -> "lr-sweep-2".equals(driver.findElement(By.cssSelector("#trials tbody tr")).getAttribute("data-run")));
    }

    @Test
    void anEnsemblePageShowsItsMembersItsCurveAndTheSnapshotPoints() throws Exception {
        open("/run.html?id=snap");
        driver.findElement(By.id("ensemble-link")).click();
        waitReady();
        assertThat(driver.getCurrentUrl()).endsWith("/ensemble.html?run=snap");
        WebElement members = driver.findElement(By.id("members-chart"));
        assertThat(members.getAttribute("data-members")).isEqualTo("5");
        assertThat(members.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(driver.findElement(By.id("by-members-chart")).getAttribute("data-points")).isEqualTo("5");
        WebElement lr = driver.findElement(By.id("lr-chart"));
        assertThat(lr.isDisplayed()).isTrue();
        assertThat(lr.getAttribute("data-snapshots")).isEqualTo("5");
        assertThat(lr.getAttribute("data-points")).isEqualTo("100");
        assertThat(driver.findElement(By.id("facts")).getText()).contains("90.00%", "88.00%", "snapshot");
        assertThat(driver.findElement(By.cssSelector("#members tr[data-member='1']")).getText())
                .contains("snapshot 5 (iteration 100)", "88.00%");
        screenshot("ensemble");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('lr-card').scrollIntoView();");
        screenshot("ensemble-lr");
        open("/ensemble.html");
        assertThat(driver.findElement(By.cssSelector("#ensembles tr[data-run=snap]")).getText()).contains("snapshot", "90.00%");
    }

    @Test
    void thePluginsPageListsConv2dWithItsParameters() throws Exception {
        open("/plugins.html");
        WebElement conv = driver.findElement(By.id("plugin-layer-conv2d"));
        assertThat(conv.getText()).contains("conv2d", "built-in", "2-D convolution");
        assertThat(conv.findElements(By.cssSelector("tr[data-param]"))).extracting(r -> r.getAttribute("data-param"))
                .containsExactly("filters", "kernel", "stride", "padding", "activation");
        assertThat(conv.findElement(By.cssSelector("tr[data-param=filters]")).getText()).contains("int", "required", "1 … ∞");
        assertThat(conv.findElement(By.cssSelector("tr[data-param=padding]")).getText()).contains("int_pair", "same");
        screenshot("plugins");
    }

    @Test
    void aRunsPerLayerDiagnosticsShowUpdateRatiosOnALogAxisAgainstTheTarget() throws Exception {
        open("/run.html?id=diag");
        WebElement panel = driver.findElement(By.id("diagnostics"));
        assertThat(panel.isDisplayed()).isTrue();
        WebElement ratios = driver.findElement(By.id("diag-update_ratio"));
        assertThat(ratios.getAttribute("data-log")).isEqualTo("true");
        assertThat(ratios.getAttribute("data-series")).as("two layers and the 1e-3 target").isEqualTo("3");
        assertThat(driver.findElement(By.cssSelector("#diag-update_ratio .u-legend")).getText()).contains("conv1", "dense1", "target 1e-3");
        assertThat(driver.findElement(By.id("diag-grad_norm")).getAttribute("data-series")).isEqualTo("2");
        assertThat(driver.findElements(By.cssSelector("#diag-table tr[data-layer=dense1] td.off-target")))
                .as("dense1's ratio of 0.05 is far above 1e-3").hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#diag-table tr[data-layer=conv1] td.off-target"))).isEmpty();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('diagnostics').scrollIntoView();");
        screenshot("run-diagnostics");
        open("/run.html?id=adam");
        assertThat(driver.findElement(By.id("diagnostics")).isDisplayed()).as("no diagnostics recorded").isFalse();
    }

    @Test
    void manyCurvesShareAGridThatKeepsTheirSpikesAndGaps() {
        open("/compare.html");
        Object table = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/js/series.js').then(m => done(JSON.stringify(m.alignOnGrid(["
                + "{x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], y: [1, 1, 9, 1, 1, null, 1, 1, 1, 1]},"
                + "{x: [0, 4.5, 9], y: [2, 2, 2]}], 4), (k, v) => v === undefined ? 'none' : v)));");
        // columns at x = 0, 3, 6, 9: the spike (9) and the gap (null) of the first curve survive in theirs;
        // where a curve has no point the table holds undefined ('none' here), which uPlot draws across
        assertThat(table).isEqualTo("[[0,3,6,9],[1,9,null,1],[2,\"none\",2,2]]");
    }

    /** A run with per-layer diagnostics as the trainer records them: KIND/LAYER metrics. */
    static void seedDiagnostics(Seeder seed, String id) {
        seed.start(id, "lenet-diag", "lenet", "{}", Map.of("optimizer.lr", 0.01))
                .metric(id, "train_loss", 0, 200, s -> 2.3 * Math.exp(-s / 60.0))
                .metric(id, "update_ratio/conv1", 0, 200, s -> 1e-3 * (1 + 0.3 * Math.sin(s / 10.0)))
                .metric(id, "update_ratio/dense1", 0, 200, s -> 0.05 * Math.exp(-s / 400.0))
                .metric(id, "grad_norm/conv1", 0, 200, s -> 0.5 / (1 + s / 50.0))
                .metric(id, "grad_norm/dense1", 0, 200, s -> 2.0 / (1 + s / 50.0))
                .metric(id, "act_zero_frac/conv1", 0, 200, s -> 0.3 + s / 1000.0)
                .end(id, RunStatus.FINISHED);
    }

    private static List<String> ids() {
        return rows().stream().map(r -> r.getAttribute("data-run")).toList();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void open(String path) {
        driver.get(stack.url(path));
        waitReady();
    }

    private static void waitReady() {
        try {
            wait(15).until(d -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")));
        } catch (TimeoutException e) {
            throw new AssertionError("page " + driver.getCurrentUrl() + " never became ready; browser console:\n"
                    + browserLog(), e);
        }
    }

    private static String browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString).collect(Collectors.joining("\n"));
    }

    /** The text of the first element matching {@code css}, read in one step (no stale element in between). */
    private static String text(String css) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#runs-body tr"));
    }

    private static int points(WebElement chart) {
        String n = chart.getAttribute("data-points");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private static WebDriverWait wait(int seconds) {
        // pages re-render parts of themselves (a running run's facts every second): retry on stale elements
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException.class);
    }

    private static void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
