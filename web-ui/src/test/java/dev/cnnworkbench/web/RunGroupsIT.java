package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.SweepDefined;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The runs page grouped by experiment and sweep in headless Chromium: a 300-trial sweep written straight into the
 * store (no training) is one collapsed line among its experiment's other runs; groups open and close, show their
 * counts, load a sweep's trials 50 at a time, and stay as left in the browser.
 */
class RunGroupsIT {

    static final int TRIALS = 300;

    @TempDir
    static Path home;
    @TempDir
    static Path profile;
    static TestStack stack;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(home);
        Seeder seed = new Seeder(stack.db);
        List<SweepDefined.PlannedTrial> plan = new ArrayList<>();
        for (int i = 1; i <= TRIALS; i++) {
            plan.add(new SweepDefined.PlannedTrial(i, new JsonObject().put("optimizer.lr", 1e-4 * i).encode()));
        }
        Map<String, String> domains = new LinkedHashMap<>();
        domains.put("optimizer.lr", "{\"loguniform\":[1.0E-4,0.03]}");
        seed.start("base-1", "lenet baseline", "lenet-fashion", "{}", Map.of("optimizer.lr", 0.01))
                .end("base-1", RunStatus.FINISHED);
        seed.record(new SweepDefined("lr-search", "{}", "random", "val_accuracy", "max", TRIALS, 4, 1, domains, null,
                7, null, plan, "seeder", seed.clock()));
        for (int i = 1; i <= TRIALS; i++) {
            String id = String.format("lr-search-%03d", i);
            seed.trial(id, "lr trial " + i, "lenet-fashion", "lr-search", i, "{}", Map.of("optimizer.lr", 1e-4 * i));
            seed.value(id, "val_accuracy", 1, 0.5 + i / 1000.0).end(id, RunStatus.FINISHED);
        }
        seed.start("base-2", "lenet wider", "lenet-fashion", "{}", Map.of("optimizer.lr", 0.02))
                .end("base-2", RunStatus.FINISHED);
        seed.start("other-1", "resnet try", "resnet", "{}", Map.of()).end("other-1", RunStatus.FAILED);
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

    /** Each test starts from a browser that remembers nothing (groups at their defaults, the flat table). */
    @BeforeEach
    void forget() {
        browser.driver.get(stack.url("/api/me"));
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("localStorage.clear()");
    }

    @Test
    void aSweepOfThreeHundredTrialsIsOneCollapsedLineThatOpensFiftyTrialsAtATime() throws Exception {
        open("/?group=1");
        assertThat(group("e:lenet-fashion").getAttribute("data-count")).isEqualTo(String.valueOf(TRIALS + 2));
        assertThat(group("e:resnet").getAttribute("data-count")).isEqualTo("1");
        assertThat(group("s:lr-search").getAttribute("data-count")).isEqualTo(String.valueOf(TRIALS));
        assertThat(browser.text("tr[data-group='s:lr-search'] .group-count")).isEqualTo("(300 trials)");
        assertThat(toggle("s:lr-search").getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(runIds()).containsExactlyInAnyOrder("base-1", "base-2", "other-1");
        assertThat(browser.text("#run-count")).isEqualTo("(" + (TRIALS + 3) + ")");

        toggle("s:lr-search").click();
        browser.await(15).until(d -> runIds().size() == 53);
        assertThat(runIds()).contains("lr-search-300", "lr-search-251").doesNotContain("lr-search-250");
        assertThat(browser.text("[data-group-more='s:lr-search'] button")).isEqualTo("show 50 more (250 not shown)");
        browser.screenshot("runs-groups");
        browser.driver.findElement(By.cssSelector("[data-group-more='s:lr-search'] button")).click();
        browser.await(15).until(d -> runIds().size() == 103);

        toggle("e:lenet-fashion").click();
        browser.await(15).until(d -> runIds().size() == 1);
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-group='s:lr-search']"))).isEmpty();

        // kept in this browser: the page opens again as it was left, and the flat table is one click away
        open("/");
        assertThat(browser.driver.findElement(By.id("group-runs")).isSelected()).isTrue();
        assertThat(toggle("e:lenet-fashion").getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(runIds()).containsExactly("other-1");
        toggle("e:lenet-fashion").click();
        browser.await(15).until(d -> runIds().size() == 53); // the sweep open again, at its first 50 trials
        browser.driver.findElement(By.id("group-runs")).click();
        browser.await(15).until(d -> browser.driver.findElements(By.cssSelector("#runs-body tr.group-row")).isEmpty()
                && runIds().size() == 50);
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("group=1");
    }

    @Test
    void theFilterNarrowsTheGroupsAndTheirCounts() throws Exception {
        open("/?group=1&filter=" + java.net.URLEncoder.encode("trial <= 10 or experiment = 'resnet'",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(group("s:lr-search").getAttribute("data-count")).isEqualTo("10");
        assertThat(group("e:lenet-fashion").getAttribute("data-count")).isEqualTo("10");
        assertThat(browser.text("#run-count")).isEqualTo("(11 matching)");
    }

    private static void open(String path) {
        browser.driver.get(stack.url(path));
        browser.waitReady();
    }

    private static org.openqa.selenium.WebElement group(String key) {
        return browser.driver.findElement(By.cssSelector("tr.group-row[data-group='" + key + "']"));
    }

    private static org.openqa.selenium.WebElement toggle(String key) {
        return browser.driver.findElement(By.cssSelector("tr.group-row[data-group='" + key + "'] .group-toggle"));
    }

    private static List<String> runIds() {
        return browser.driver.findElements(By.cssSelector("#runs-body tr[data-run]")).stream()
                .map(e -> e.getAttribute("data-run")).toList();
    }
}
