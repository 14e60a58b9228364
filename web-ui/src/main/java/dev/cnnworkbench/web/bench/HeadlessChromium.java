package dev.cnnworkbench.web.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by its own chromedriver ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver},
 * or {@code -Dworkbench.chromium} / {@code -Dworkbench.chromedriver}), never a downloaded one; for the browser tests
 * and the dashboard benchmark. Close it to stop the browser and the driver.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("workbench.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("workbench.chromedriver", "/usr/bin/chromedriver"));
    /** Held so the level sticks: Selenium warns on every start that it has no CDP for this Chromium (we use none). */
    private static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools");

    /** The browser: navigate, find elements, run scripts. */
    public final ChromeDriver driver;
    private final ChromeDriverService service;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Why the browser cannot start here, or {@code null} when both programs are installed. */
    public static String missing() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                return p + " is missing: the browser tests need Debian's Chromium and its driver."
                        + " Install them with `apt-get install -y chromium chromium-driver`"
                        + " (./workbench test does this), or point -Dworkbench.chromium / -Dworkbench.chromedriver at them.";
            }
        }
        return null;
    }

    /** A 1400x1000 headless browser with a fresh profile in {@code profile}, keeping the console log. */
    public static HeadlessChromium start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new HeadlessChromium(service, driver);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(Level.SEVERE);
        return log;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
