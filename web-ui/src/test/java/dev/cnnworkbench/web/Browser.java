package dev.cnnworkbench.web;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cnnworkbench.web.bench.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Collectors;
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
 * Debian's headless Chromium driven by its own chromedriver (never a downloaded one), for the browser tests of team
 * mode and of starting runs from a page: the same set-up as {@link DashboardIT}. Screenshots go to
 * {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of(System.getProperty("workbench.screenshots", "target/screenshots"));

    final ChromeDriver driver;
    private final HeadlessChromium chromium;

    private Browser(HeadlessChromium chromium) {
        this.chromium = chromium;
        this.driver = chromium.driver;
    }

    static Browser start(Path profile) throws IOException {
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            fail(missing);
        }
        Files.createDirectories(SCREENSHOTS);
        return new Browser(HeadlessChromium.start(profile));
    }

    /** Waits until the page says it is drawn ({@code body[data-ready=true]}); fails with the browser's console. */
    void waitReady() {
        try {
            await(15).until(d -> "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")));
        } catch (TimeoutException e) {
            throw new AssertionError("page " + driver.getCurrentUrl() + " never became ready; browser console:\n"
                    + driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                            .collect(Collectors.joining("\n")), e);
        }
    }

    /** The text of the first element matching {@code css}, read in one step; null when there is none. */
    String text(String css) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    WebDriverWait await(int seconds) {
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException.class);
    }

    void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        chromium.close();
    }
}
