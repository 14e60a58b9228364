package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccounts;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Team mode in a real browser: no page without logging in; logging in shows the runs; logging out ends it. */
class TeamModeIT {

    @TempDir
    static Path home;
    @TempDir
    static Path profile;
    static TestStack stack;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(home, (server, db) -> {
            UserAccounts users = new UserAccounts(db, new PasswordHashes(1_000));
            users.add("alice", "alice's password".toCharArray(), false);
            return server.withTeamMode(users);
        });
        for (String[] run : new String[][] {{"a1", "lenet-alice", "alice"}, {"b1", "lenet-bob", "bob"}}) {
            stack.vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(run[0], run[1], "lenet", "{}", Map.of(),
                    Map.of(), System.currentTimeMillis(), ProcessHandle.current().pid(), "test-host", run[2]));
            stack.endRun(run[0], RunStatus.FINISHED, null);
        }
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
    void aPageNeedsALoginAndLoggingInShowsTheRuns() throws Exception {
        browser.driver.get(stack.url("/run.html?id=b1"));
        browser.await(10).until(ExpectedConditions.urlContains("/login.html"));
        browser.waitReady();
        assertThat(browser.driver.findElements(By.id("runs-body"))).as("no run is shown before logging in").isEmpty();

        browser.driver.findElement(By.id("login-name")).sendKeys("alice");
        browser.driver.findElement(By.id("login-password")).sendKeys("not alice's password");
        browser.driver.findElement(By.id("login-submit")).click();
        browser.await(10).until(d -> d.findElement(By.id("login-error")).isDisplayed());
        assertThat(browser.text("#login-error")).isEqualTo("wrong user name or password");
        browser.screenshot("login-refused");

        browser.driver.findElement(By.id("login-password")).clear();
        browser.driver.findElement(By.id("login-password")).sendKeys("alice's password");
        browser.driver.findElement(By.id("login-submit")).click();
        browser.await(10).until(ExpectedConditions.urlContains("/run.html?id=b1"));
        browser.waitReady();
        assertThat(browser.text("#run-name")).as("back where the person was headed").isEqualTo("lenet-bob");
        browser.await(10).until(d -> "alice".equals(browser.text("#who-name")));
        browser.await(10).until(d -> d.findElement(By.id("delete")).getAttribute("disabled") != null);
        assertThat(browser.driver.findElement(By.id("rename")).getAttribute("title")).contains("only bob or an admin");

        browser.driver.get(stack.url("/"));
        browser.waitReady();
        assertThat(browser.driver.findElements(By.cssSelector("#runs-body tr")))
                .extracting(r -> r.getAttribute("data-run")).containsExactlyInAnyOrder("a1", "b1");
        browser.screenshot("team-runs");

        browser.driver.findElement(By.id("logout")).click();
        browser.await(10).until(ExpectedConditions.urlContains("/login.html"));
        browser.driver.get(stack.url("/"));
        browser.await(10).until(ExpectedConditions.urlContains("/login.html?next=%2F"));
    }
}
