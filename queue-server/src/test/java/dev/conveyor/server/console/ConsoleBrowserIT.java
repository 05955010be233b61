package dev.conveyor.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.dcsim.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console end to end in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}): a technician validates simulated rack r1 from the form, watches the grid
 * turn without reloading, opens a failed device and reads expected against observed; an operator
 * pauses a queue and cancels a job. Every page is saved as a screenshot under
 * {@code target/console-screenshots/}. Skipped where Chromium is not installed.
 */
@ExtendWith(TestDatabase.class)
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration RACK_TIMEOUT = Duration.ofMinutes(3);
    /** A server with a failed fan and one whose BIOS is below its baseline: two devices fail. */
    private static final String FAN_FAULT_SERVER = "R1SRV0005";
    private static final String FIRMWARE_FAULT_SERVER = "R1SRV0012";

    private static ConsoleSite site;
    private static WebDriver browser;

    /** On a failure, the page as the browser had it: a screenshot and its HTML, beside the others. */
    @RegisterExtension
    static final TestWatcher LAST_PAGE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                try {
                    screenshot("failed");
                    Files.writeString(SCREENSHOTS.resolve("failed.html"), browser.getPageSource());
                } catch (IOException | RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        }
    };

    @BeforeAll
    static void start(TestDb db, @TempDir Path profile) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        Files.createDirectories(SCREENSHOTS);
        site = ConsoleSite.start(db);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void aTechnicianValidatesARackAndAnOperatorCancelsAJob(@TempDir Path files) throws IOException {
        site.sim().faults(FAN_FAULT_SERVER).inject(new Fault.FailedFan("Fan 3"));
        site.sim().faults(FIRMWARE_FAULT_SERVER).inject(new Fault.FirmwareBelowBaseline("BIOS", "2.1.0"));
        long stuck = site.queues().submit(NewJob.builder("maintenance", "drain-host")
                .payload("{\"host\": \"r1-srv-07\"}".getBytes(StandardCharsets.UTF_8), "application/json")
                .labels(Map.of("rack", "r1")).build()).jobId();

        // The root leads to the queues; pause the maintenance queue from its button.
        browser.get(site.baseUrl() + "/");
        waitFor(ExpectedConditions.urlContains("/console/queues"));
        browser.findElement(By.cssSelector("tr[data-queue='maintenance'] button[data-action='pause']")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-queue='maintenance'] .badge.paused")));
        screenshot("01-queues-paused");

        // A technician uploads the manifest file and validates the rack.
        browser.get(site.baseUrl() + "/console/racks");
        Path manifest = files.resolve("rack-r1.yaml");
        Files.writeString(manifest, site.servedManifestYaml());
        browser.findElement(By.id("manifest-file")).sendKeys(manifest.toAbsolutePath().toString());
        waitFor(d -> !d.findElement(By.id("manifest")).getAttribute("value").isBlank());
        browser.findElement(By.id("validate-button")).click();
        waitFor(ExpectedConditions.urlMatches("/console/racks/\\d+$"));
        assertThat(browser.findElements(By.cssSelector(".device"))).hasSize(22);
        screenshot("02-rack-started");

        // The grid turns as the workers validate, without a reload: the marker set now survives.
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
        waitFor(RACK_TIMEOUT, d -> d.findElements(By.cssSelector(".device.state-SUCCEEDED")).size() == 20
                && d.findElements(By.cssSelector(".device.state-DEAD")).size() == 2);
        // Two devices failed: the rack's verdict, not its parent job's state, is the badge.
        waitFor(RACK_TIMEOUT, ExpectedConditions.presenceOfElementLocated(By.cssSelector("h1 #rack-verdict.verdict-FAILED")));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;")).isEqualTo(true);
        assertThat(browser.findElement(By.id("rack-summary")).getText()).contains("20 passed", "2 failed");
        screenshot("03-rack-done");

        // A failed device: the checks that failed, expected against observed.
        browser.findElement(By.cssSelector(".device[data-device='" + FAN_FAULT_SERVER + "']")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("failed-checks")));
        List<WebElement> checks = browser.findElements(By.cssSelector("#failed-checks tbody tr"));
        assertThat(checks).isNotEmpty();
        assertThat(browser.findElement(By.id("failed-checks")).getText()).contains("Fan 3");
        for (WebElement check : checks) {
            assertThat(check.findElement(By.cssSelector(".expected")).getText()).isNotBlank();
            assertThat(check.findElement(By.cssSelector(".observed")).getText()).isNotBlank();
        }
        assertThat(browser.findElements(By.cssSelector("#timeline-" + deviceJobId() + " tbody tr"))).hasSizeGreaterThan(2);
        screenshot("04-device-failed");

        // The jobs, filtered by label; then the stuck job's page, and cancel it.
        browser.get(site.baseUrl() + "/console/jobs?label=rack%3Dr1");
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr[data-job-id]"))).hasSize(24);
        screenshot("05-jobs");
        browser.get(site.baseUrl() + "/console/jobs/" + stuck);
        browser.findElement(By.id("cancel-job")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-state .state-CANCELLED")));
        assertThat(site.queues().get(stuck).state()).isEqualTo(JobState.CANCELLED);
        assertThat(browser.findElement(By.id("retry-job")).isDisplayed()).isTrue();
        screenshot("06-job-cancelled");

        // The rack parent's page: its children, and its event timeline.
        browser.findElement(By.cssSelector("nav a[href='/console/racks']")).click();
        browser.findElement(By.cssSelector("#racks tbody a[href^='/console/jobs/']")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("children")));
        assertThat(browser.findElements(By.cssSelector("#children tbody tr"))).hasSize(22);
        screenshot("07-rack-job");

        // The worker registry, with the in-process daemon alive.
        site.workers().heartbeat();
        browser.get(site.baseUrl() + "/console/workers");
        assertThat(browser.findElement(By.cssSelector("tr[data-worker='" + DatacenterWorkers.WORKER_ID + "']"))
                .getAttribute("class")).isEqualTo("alive");
        screenshot("08-workers");

        // The queues once the rack is done: the datacenter queue beside the paused one.
        browser.get(site.baseUrl() + "/console/queues");
        assertThat(browser.findElement(By.cssSelector("tr[data-queue='datacenter'] .paused-cell")).getText())
                .isEqualTo("no");
        screenshot("09-queues");

        // Bad input is a message on the page, never a stack trace.
        browser.get(site.baseUrl() + "/console/jobs?state=bogus");
        assertThat(browser.findElement(By.cssSelector(".error")).getText()).contains("state", "must be one of");
        browser.get(site.baseUrl() + "/console/racks");
        ((JavascriptExecutor) browser).executeScript(
                "document.getElementById('manifest').value = 'rackId: r2\\nswitches: []\\nservers: []';");
        browser.findElement(By.id("validate-button")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("manifest-problems")));
        assertThat(browser.getPageSource()).doesNotContain("Exception", "at dev.conveyor");
        screenshot("10-bad-manifest");
    }

    private static long deviceJobId() {
        return Long.parseLong(browser.getCurrentUrl().replaceAll(".*/devices/", ""));
    }

    private static <T> void waitFor(java.util.function.Function<WebDriver, T> condition) {
        waitFor(Duration.ofSeconds(20), condition);
    }

    private static <T> void waitFor(Duration timeout, java.util.function.Function<WebDriver, T> condition) {
        new WebDriverWait(browser, timeout).until(condition::apply);
    }

    private static void screenshot(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }
}
