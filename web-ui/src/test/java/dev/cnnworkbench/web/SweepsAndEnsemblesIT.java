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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sweeps and ensembles compared side by side in headless Chromium, on records seeded straight into the store (no
 * training): a coarse sweep and its refined stage, and three ensembles (a snapshot ensemble, the no-cycle control,
 * an independent one). Screenshots go to {@code target/screenshots/}.
 */
class SweepsAndEnsemblesIT {

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
        Seeder seed = new Seeder(stack.db);
        SweepApiTest.seedSweep(seed, "coarse", 9);
        SweepApiTest.seedSweep(seed, "fine", 6, "coarse", 0.02);
        EnsembleApiTest.seedSnapshotRun(seed, "snap", 100, 5);
        seed.start("nocycle", "no-cycle control", "snapshot-vs-single", "{}", Map.of("train.epochs", 10.0));
        EnsembleApiTest.ensembleMetrics(seed, "nocycle", List.of(0.749, 0.745, 0.74), List.of(0.749, 0.752, 0.755),
                "snapshot", "nocycle", List.of("nocycle/snapshot-03.zip", "nocycle/snapshot-02.zip", "nocycle/snapshot-01.zip"));
        seed.end("nocycle", RunStatus.FINISHED);
        seed.start("run-a", "run-a", "lenet", "{}", Map.of("train.epochs", 5.0)).end("run-a", RunStatus.FINISHED)
                .start("run-b", "run-b", "lenet", "{}", Map.of("train.epochs", 5.0)).end("run-b", RunStatus.FINISHED)
                .start("indep", "two lenets", "ensembles", "{}", Map.of());
        EnsembleApiTest.ensembleMetrics(seed, "indep", List.of(0.84, 0.83), List.of(0.84, 0.86), "independent", null,
                List.of("run-a", "run-b"));
        seed.end("indep", RunStatus.FINISHED);
        browser = HeadlessChromium.start(profile);
        driver = browser.driver;
        Files.createDirectories(DashboardIT.SCREENSHOTS);
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
    void twoSweepsSideBySideWithTheirDistributionsBestSoFarCurvesAndLineage() throws Exception {
        open("/sweep.html");
        driver.findElement(By.cssSelector("#sweeps tr[data-sweep=coarse] input.pick")).click();
        driver.findElement(By.cssSelector("#sweeps tr[data-sweep=fine] input.pick")).click();
        assertThat(driver.findElement(By.cssSelector("#sweeps tr[data-sweep=fine]")).getText()).contains("coarse");
        driver.findElement(By.id("compare-sweeps")).click();
        waitReady();
        assertThat(driver.getCurrentUrl()).containsAnyOf("compare=coarse,fine", "compare=fine,coarse");
        assertThat(driver.findElements(By.cssSelector("#compare-table tbody tr"))).hasSize(2);
        assertThat(text("#compare-table tr[data-sweep=fine]")).contains("loguniform [1.000e-6, 0.01]", "coarse");
        for (String chart : List.of("compare-distribution", "compare-by-count", "compare-by-time")) {
            assertThat(driver.findElement(By.id(chart)).getAttribute("data-rendered")).as(chart).isEqualTo("true");
        }
        assertThat(driver.findElement(By.id("compare-by-count")).getAttribute("data-series")).isEqualTo("2");
        double coarseBest = Double.parseDouble(text("#compare-table tr[data-sweep=coarse] td.best"));
        double fineBest = Double.parseDouble(text("#compare-table tr[data-sweep=fine] td.best"));
        assertThat(fineBest).as("the refined stage is better in the seed").isGreaterThan(coarseBest);
        screenshot("sweeps-compared");

        open("/sweep.html?id=fine");
        assertThat(text("#lineage li[data-stage=coarse]")).contains("optimizer.lr loguniform", "regularization.dropout uniform");
        assertThat(text("#lineage li[data-stage=fine]")).contains("optimizer.lr");
        assertThat(text("#trials tbody tr[data-run=fine-3]")).contains("STOPPED", "at rung 1");
        screenshot("sweep-lineage");
    }

    @Test
    void threeEnsemblesSideBySideWithAccuracyByMembersGainPValueAndBudget() throws Exception {
        open("/ensemble.html");
        for (String id : List.of("e-snap", "e-nocycle", "e-indep")) {
            driver.findElement(By.cssSelector("#ensembles tr[data-ensemble=" + id + "] input.pick")).click();
        }
        driver.findElement(By.id("compare-ensembles")).click();
        waitReady();
        assertThat(driver.findElements(By.cssSelector("#compare-table tbody tr"))).hasSize(3);
        assertThat(text("#compare-table tr[data-ensemble=e-snap]")).contains("snapshot", "90.00%", "+2.00%", "0.03");
        assertThat(text("#compare-table tr[data-ensemble=e-indep]")).contains("independent", "10 epochs");
        assertThat(text("#compare-table tr[data-ensemble=e-nocycle] td.gain")).isEqualTo("+0.60%");
        assertThat(driver.findElement(By.id("compare-by-members")).getAttribute("data-series")).isEqualTo("3");
        assertThat(driver.findElement(By.id("compare-gain")).getAttribute("data-bars")).isEqualTo("3");
        screenshot("ensembles-compared");
    }

    /** The defect: the dashed "best member" line sat at 75.00% for a best member of 74.90% (a markLine's rounding). */
    @Test
    void theBestMemberLineSitsAtTheBestMembersExactAccuracy() throws Exception {
        open("/ensemble.html?id=e-nocycle");
        Object y = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/webjars/echarts/echarts.esm.min.js').then((echarts) => {
                  const option = echarts.getInstanceByDom(document.getElementById('by-members-chart')).getOption();
                  const line = option.series.find((s) => s.name === 'best member');
                  const marks = option.series.flatMap((s) => (s.markLine ? s.markLine.data : []));
                  done(line ? [line.data[0][1], line.data[1][1], marks.length] : null);
                });
                """);
        assertThat(y).asList().containsExactly(0.749, 0.749, 0L);
    }

    private static void open(String path) {
        driver.get(stack.url(path));
        waitReady();
    }

    private static void waitReady() {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                    .until(d -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")));
        } catch (TimeoutException e) {
            throw new AssertionError("page " + driver.getCurrentUrl() + " never became ready; browser console:\n"
                    + driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                    .collect(Collectors.joining("\n")), e);
        }
        String error = text("#error");
        assertThat(driver.findElement(By.id("error")).isDisplayed()).as("page error: " + error).isFalse();
    }

    private static String text(String css) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private static void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), DashboardIT.SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
