package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * What a person reads on the dashboard's pages (issue 15): charts titled, axes titled with units, ticks that tell
 * values apart, markers on sparse curves, values at the cursor, chart controls kept in the address; a bad run id;
 * the runs table's remembered column choice and sticky name; one navigation on every page; the 404 page. One
 * server with seeded runs and one headless Chromium for the class; no training.
 */
class DashboardUxIT {

    @TempDir
    static Path home;
    @TempDir
    static Path profile;
    static TestStack stack;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.start(home);
        // per-step loss and a learning rate decaying from 0.002 to 0 (the ticks that used to read
        // "0.002, 0.002, 0.001, 0.001, 0"); per-epoch validation scores, one point per 100 steps
        stack.startRun("epochs", "lenet-epochs", Map.of("optimizer.type", "sgd"));
        stack.metrics("epochs", "train_loss", 0, 300, s -> 2.3 * Math.exp(-s / 90.0) + 0.1);
        stack.metrics("epochs", "train_accuracy", 0, 300, s -> 0.1 + 0.85 * (1 - Math.exp(-s / 90.0)));
        stack.metrics("epochs", "lr", 0, 300, s -> 0.002 * (1 - s / 300.0));
        for (int epoch = 1; epoch <= 3; epoch++) {
            int step = epoch * 100 - 1;
            stack.metrics("epochs", "val_loss", step, step + 1, s -> 2.0 * Math.exp(-s / 120.0) + 0.2);
            stack.metrics("epochs", "val_accuracy", step, step + 1, s -> 0.5 + s / 1000.0);
        }
        stack.endRun("epochs", RunStatus.FINISHED, null);
        stack.flush();
        browser = Browser.start(profile);
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
    void runChartsAreTitledWithUnitsMarkSparseCurvesAndShowValuesAtTheCursor() throws Exception {
        open("/run.html?id=epochs");
        assertThat(browser.driver.findElements(By.cssSelector(".charts .chart-title"))).extracting(WebElement::getText)
                .contains("Loss", "Accuracy", "Learning rate");
        assertThat(js("return document.getElementById('chart-loss').chart.plot.axes.map(a => a.label)"))
                .isEqualTo(List.of("step", "loss"));
        // val_loss (3 points among 300) is marked and joined; the accuracy axis ends at 1, never 1.5
        assertThat(browser.driver.findElement(By.id("chart-loss")).getAttribute("data-sparse")).isEqualTo("1");
        assertThat(js("const p = document.getElementById('chart-loss').chart.plot; const s = p.series[2];"
                + " return [s.label, typeof s.points.show === 'function' ? s.points.show(p, 2) : s.points.show, s.spanGaps]"))
                .isEqualTo(List.of("val_loss", true, true));
        assertThat(((Number) js("return document.getElementById('chart-accuracy').chart.plot.scales.y.max")).doubleValue())
                .isEqualTo(1.0);
        assertThat(js("return document.getElementById('chart-accuracy').chart.plot.axes[1].label"))
                .isEqualTo("accuracy (fraction)");
        // the learning rate's ticks read differently from each other
        @SuppressWarnings("unchecked")
        List<String> lrTicks = (List<String>) js("const c = document.getElementById('chart-lr').chart.plot;"
                + " const a = c.axes[1]; return a.values(c, a._splits);");
        assertThat(lrTicks).hasSizeGreaterThan(2).doesNotHaveDuplicates();

        WebElement over = browser.driver.findElement(By.cssSelector("#chart-loss .u-over"));
        new Actions(browser.driver).moveToElement(over).perform();
        browser.await(5).until(d -> !"—".equals(browser.text("#chart-loss .u-legend .u-series:nth-child(2) .u-value")));
        assertThat(browser.text("#chart-loss .u-legend .u-series:nth-child(2) .u-value")).matches("[0-9.e-]+");
        browser.screenshot("run-charts");

        // the controls are the compare page's, and the address keeps them
        new Select(browser.driver.findElement(By.id("x-mode"))).selectByValue("epoch");
        browser.driver.findElement(By.id("log")).click();
        browser.await(5).until(d -> d.getCurrentUrl().contains("x=epoch") && d.getCurrentUrl().contains("log=1"));
        open(browser.driver.getCurrentUrl().substring(stack.url("").length()));
        assertThat(new Select(browser.driver.findElement(By.id("x-mode"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("epoch");
        assertThat(browser.driver.findElement(By.id("log")).isSelected()).isTrue();
        assertThat(js("return document.getElementById('chart-loss').chart.plot.axes[0].label")).isEqualTo("epoch");
    }

    @Test
    void ticksAreFormattedFromTheirSpacing() {
        open("/run.html?id=epochs");
        Object labels = ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; import('/js/chart.js').then(m => done(["
                        + "m.tickLabels([0, 0.0005, 0.001, 0.0015, 0.002]), m.tickLabels([0.0001, 0.00015, 0.0002]),"
                        + "m.tickLabels([0, 0.25, 0.5, 0.75, 1]), m.tickLabels([0, 20000, 40000])]));");
        assertThat(labels).isEqualTo(List.of(List.of("0.0000", "0.0005", "0.0010", "0.0015", "0.0020"),
                List.of("1.0e-4", "1.5e-4", "2.0e-4"), List.of("0.00", "0.25", "0.50", "0.75", "1.00"),
                List.of("0", "20000", "40000")));
    }

    @Test
    void aBadRunIdShowsAnErrorAndDisablesRenameAndDelete() {
        open("/run.html?id=nope");
        assertThat(browser.driver.findElement(By.id("error")).isDisplayed()).isTrue();
        assertThat(browser.text("#error")).contains("Cannot load this run");
        assertThat(browser.driver.findElement(By.id("rename")).isEnabled()).isFalse();
        assertThat(browser.driver.findElement(By.id("delete")).isEnabled()).isFalse();
        assertThat(browser.driver.findElement(By.id("rename-input")).isEnabled()).isFalse();
    }

    @Test
    void theRunsTablesColumnChoiceIsRememberedAndTheNameStaysInView() throws Exception {
        open("/");
        assertThat(browser.driver.findElements(By.cssSelector("th[data-key=experiment]"))).hasSize(1);
        browser.driver.findElement(By.cssSelector("#column-chooser summary")).click();
        browser.driver.findElement(By.cssSelector("#column-chooser input[data-col=experiment]")).click();
        browser.await(5).until(d -> d.findElements(By.cssSelector("th[data-key=experiment]")).isEmpty());
        browser.screenshot("runs-column-chooser");
        open("/");
        assertThat(browser.driver.findElements(By.cssSelector("th[data-key=experiment]"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("th[data-key=status]"))).hasSize(1);
        assertThat(js("return getComputedStyle(document.querySelector('#runs td[data-col=name]')).position"))
                .isEqualTo("sticky");
        browser.driver.findElement(By.cssSelector("#column-chooser summary")).click();
        browser.driver.findElement(By.cssSelector("#column-chooser input[data-col=experiment]")).click();
        browser.await(5).until(d -> d.findElements(By.cssSelector("th[data-key=experiment]")).size() == 1);
    }

    @Test
    void everyPageHasTheSameNavigationAndAnUnknownAddressAPageWithIt() {
        for (String[] page : new String[][] {{"/", "runs-link"}, {"/compare.html?runs=epochs", "compare-link"},
                {"/sweep.html", "sweeps-link"}, {"/ensemble.html", "ensembles-link"}, {"/plugins.html", "plugins-link"}}) {
            browser.driver.get(stack.url(page[0]));
            browser.await(10).until(d -> d.findElements(By.cssSelector("header.top a")).size() == 6);
            assertThat(browser.driver.findElement(By.cssSelector("header.top a[aria-current=page]")).getAttribute("id"))
                    .as(page[0]).isEqualTo(page[1]);
        }
        browser.driver.get(stack.url("/no/such/page"));
        browser.await(10).until(d -> d.findElements(By.cssSelector("header.top a")).size() == 6);
        assertThat(browser.text("h1")).isEqualTo("No such page");
    }

    @Test
    void theRunPageTailsTheRunsConsoleLogWhileItRuns() throws Exception {
        stack.startRun("tail", "lenet-tail", Map.of("optimizer.type", "adam"));
        stack.metrics("tail", "train_loss", 0, 5, s -> 2.0);
        stack.flush();
        Path log = java.nio.file.Files.createDirectories(stack.artifacts.resolve("tail")).resolve("console.log");
        java.nio.file.Files.writeString(log, "12:00:00  epoch 1/2: 94 batches\n");
        open("/run.html?id=tail");
        browser.await(10).until(d -> browser.text("#console-text") != null && browser.text("#console-text").contains("epoch 1/2"));
        java.nio.file.Files.writeString(log, "12:00:01  WARNING initial_loss at step 0: too high\n",
                java.nio.file.StandardOpenOption.APPEND);
        browser.await(10).until(d -> browser.text("#console-text").contains("WARNING initial_loss"));
        browser.screenshot("run-console-log");

        // the API behind it: from an offset on, only what was added
        int first = "12:00:00  epoch 1/2: 94 batches\n".length();
        var tail = new io.vertx.core.json.JsonObject(stack.get("/api/runs/tail/console?from=" + first).body());
        assertThat(tail.getString("text")).isEqualTo("12:00:01  WARNING initial_loss at step 0: too high\n");
        assertThat(tail.getLong("next")).isEqualTo(tail.getLong("size")).isEqualTo(java.nio.file.Files.size(log));
        assertThat(stack.get("/api/runs/epochs/console").statusCode()).isEqualTo(404);
        assertThat(stack.get("/api/runs/tail/console?from=-1").statusCode()).isEqualTo(400);
        stack.endRun("tail", RunStatus.FINISHED, null);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser.driver).executeScript(script);
    }

    private static void open(String path) {
        browser.driver.get(stack.url(path));
        browser.waitReady();
    }
}
