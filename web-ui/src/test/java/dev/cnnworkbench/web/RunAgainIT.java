package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The run page's "run again with edited values" in a real browser: a bad spec shows each error with its JSON path and
 * starts nothing; a good one starts a run and opens its page. The launcher checks specs with the real parser.
 */
class RunAgainIT {

    static final String SPEC = "{\n  \"name\": \"lenet-first\",\n  \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001},\n"
            + "  \"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 10}]},\n  \"train\": {\"epochs\": 2, \"batch\": 64}\n}";

    @TempDir
    static Path home;
    @TempDir
    static Path profile;
    static TestStack stack;
    static Browser browser;
    static final FakeLauncher LAUNCHER = new FakeLauncher();

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(home, (server, db) -> server.withLauncher(LAUNCHER));
        LAUNCHER.vertx = stack.vertx;
        stack.vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted("first", "lenet-first", "lenet", SPEC,
                Map.of(), Map.of(), System.currentTimeMillis(), ProcessHandle.current().pid(), "test-host", "tester"));
        stack.endRun("first", RunStatus.FINISHED, null);
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

    private void setSpec(String text) {
        WebElement box = browser.driver.findElement(By.id("rerun-spec"));
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].value = arguments[1];", box, text);
    }

    @Test
    void aBadSpecShowsItsErrorsWithTheirPathsAndAGoodOneStartsARun() throws Exception {
        browser.driver.get(stack.url("/run.html?id=first"));
        browser.waitReady();
        WebElement box = browser.driver.findElement(By.id("rerun-spec"));
        browser.await(10).until(d -> box.isDisplayed() && box.getAttribute("value").contains("\"lenet-first\""));

        setSpec(box.getAttribute("value").replace("\"epochs\" : 2", "\"epochs\" : 0").replace("\"epochs\": 2", "\"epochs\": 0")
                .replace("\"lenet-first\"", "\"lenet-again\""));
        browser.driver.findElement(By.id("rerun-submit")).click();
        browser.await(10).until(d -> d.findElement(By.id("rerun-error")).isDisplayed());
        WebElement error = browser.driver.findElement(By.cssSelector("#rerun-errors li[data-path='train.epochs']"));
        assertThat(error.findElement(By.className("path")).getText()).isEqualTo("train.epochs");
        assertThat(error.findElement(By.className("message")).getText()).contains(">= 1");
        assertThat(browser.driver.getCurrentUrl()).as("nothing started").contains("id=first");
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById('rerun').scrollIntoView();");
        browser.screenshot("run-again-refused");

        setSpec("{\"name\": ");
        browser.driver.findElement(By.id("rerun-submit")).click();
        browser.await(10).until(d -> browser.text("#rerun-errors").contains("not valid JSON at line 1"));
        assertThat(browser.text("#rerun-errors .path")).isEqualTo("(the whole spec)");

        browser.driver.findElement(By.id("rerun-reset")).click();
        setSpec(box.getAttribute("value").replace("\"lenet-first\"", "\"lenet-again\""));
        browser.driver.findElement(By.id("rerun-submit")).click();
        browser.await(10).until(ExpectedConditions.urlContains("/run.html?id=web"));
        browser.waitReady();
        browser.await(10).until(d -> "lenet-again".equals(browser.text("#run-name")));
        assertThat(browser.text("#run-status .status")).isEqualTo("RUNNING");
    }
}
