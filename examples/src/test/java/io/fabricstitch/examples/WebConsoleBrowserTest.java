package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.ignite.internal.FabricPlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console end to end in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): {@code bin/fabric demo --serve} prints the console's address; the page shows the
 * demo's fabrics, the latency matrix as a heat map, the demo's assignments and its failover; a fault injected into the
 * L4 shows as OFFLINE with its reason within seconds, without a reload. Screenshots land in {@code target/}.
 */
class WebConsoleBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("fabric.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("fabric.test.chromedriver", "/usr/bin/chromedriver"));
    static final Pattern CONSOLE_LINE = Pattern.compile("^Web console: (http://\\S+)$", Pattern.MULTILINE);

    /** The demo's output; completes {@link #ADDRESS} when the console's line appears. */
    static final ByteArrayOutputStream OUT = new ByteArrayOutputStream() {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            Matcher m = CONSOLE_LINE.matcher(toString(StandardCharsets.UTF_8));
            if (m.find())
                ADDRESS.complete(URI.create(m.group(1)));
        }
    };
    static final CompletableFuture<URI> ADDRESS = new CompletableFuture<>();
    static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
    static final CountDownLatch STOP = new CountDownLatch(1);
    /** Longest wait for the demo to get through its routing and failover and print the console's address. */
    static final Duration DEMO_WAIT = Duration.ofSeconds(120);
    static CompletableFuture<Integer> demo;
    static URI console;
    static WebDriver browser;

    @BeforeAll
    static void serveTheDemoAndOpenABrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "skipped: needs "
            + CHROMIUM + " and " + CHROMEDRIVER + " (Debian packages chromium and chromium-driver; .ci/run installs "
            + "them)");
        demo = CompletableFuture.supplyAsync(() -> new FabricLauncher(new PrintStream(OUT, true, StandardCharsets.UTF_8),
            new PrintStream(ERR, true, StandardCharsets.UTF_8), ClientNode.DFLT_JOIN_TIMEOUT, STOP)
            .run(new String[] {"demo", "--config", FabricLauncherTest.DEMO_CONFIG, "--serve"}));
        demo.whenComplete((code, e) -> ADDRESS.completeExceptionally(new AssertionError("the demo ended (exit "
            + code + ", " + e + ") before printing its console address\n" + output())));
        console = ADDRESS.get(DEMO_WAIT.toSeconds(), TimeUnit.SECONDS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
            "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null)
            browser.quit();
        STOP.countDown();
        if (demo != null)
            assertEquals(0, demo.get(60, TimeUnit.SECONDS), WebConsoleBrowserTest::output);
    }

    static String out() {
        return OUT.toString(StandardCharsets.UTF_8);
    }

    static String output() {
        return "--- out:\n" + out() + "--- err:\n" + ERR.toString(StandardCharsets.UTF_8);
    }

    /**
     * The texts of the cells of class {@code cls} in table {@code table}, read in one script: the page redraws its
     * tables every second, so elements found in one call may be gone in the next.
     */
    @SuppressWarnings("unchecked")
    static List<String> column(String table, String cls) {
        return (List<String>)((JavascriptExecutor)browser).executeScript("return Array.from(document.querySelectorAll("
            + "arguments[0])).map(function (td) { return td.textContent; });", "#" + table + " tbody td." + cls);
    }

    /** {@code STATUS | REASON} of the fabric row of {@code model}, read in one script; "absent" when none. */
    static String rowOf(String model) {
        return (String)((JavascriptExecutor)browser).executeScript("var rows = document.querySelectorAll("
            + "'#fabrics tbody tr'); for (var i = 0; i < rows.length; i++) { var r = rows[i]; "
            + "if (r.querySelector('td.model').textContent === arguments[0]) return r.querySelector('.status')"
            + ".textContent + ' | ' + r.querySelector('td.reason').textContent; } return 'absent';", model);
    }

    static void screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((org.openqa.selenium.TakesScreenshot)browser).getScreenshotAs(OutputType.BYTES));
        System.out.println("console screenshot: " + target.toAbsolutePath());
    }

    @Test
    void consoleShowsTheDemosFabricsMatrixAssignmentsAndFailover_thenAnInjectedFailureWithoutReload()
        throws Exception {
        browser.get(console.toString());
        assertEquals("Fabric Stitch console", browser.getTitle());
        int fabrics = FabricPlugin.of(Ignition.ignite("demo-0")).fabricMap().size(); // 7, and the OpenCL device's
        Timing.await("the demo's " + fabrics + " fabrics on the page", () -> column("fabrics", "model").size()
            == fabrics, () -> column("fabrics", "model").toString());
        List<String> models = column("fabrics", "model");
        if (DemoRealDevice.openClFabric(Ignition.ignite("demo-0")).isPresent()) {
            assertEquals(8, fabrics);
            assertTrue(column("fabrics", "runtime").stream().anyMatch(r -> r.startsWith("OPENCL")),
                "the OpenCL fabric's runtime: " + column("fabrics", "runtime"));
        }
        for (String m : List.of("NVIDIA A100 80GB (declared)", "NVIDIA L4 24GB (declared)",
            "Xilinx Alveo U250 (declared)", "SHA-256 hashing ASIC (declared)"))
            assertTrue(models.contains(m), models::toString);
        assertEquals(List.of("demo-0", "demo-1", "demo-2"), column("fabrics", "node").stream().distinct()
            .collect(Collectors.toList()));
        Timing.await("a 3x3 latency heat map with measured round trips", () -> browser.findElements(
            By.cssSelector("#latency tbody td[style*='background']")).size() == 6,
            () -> browser.findElement(By.id("latency")).getText());
        Timing.await("the demo's assignments and its failover", () -> !browser.findElements(
            By.cssSelector("#assignments tbody tr")).isEmpty() && !browser.findElements(
            By.cssSelector("#failovers tbody tr")).isEmpty(), () -> browser.findElement(By.tagName("main")).getText());
        String failovers = browser.findElement(By.id("failovers")).getText();
        assertTrue(failovers.contains("injected fault: GPU fell off the bus (demo)"), failovers);
        assertTrue(browser.findElement(By.id("assignments")).getText().contains("SUCCEEDED"));
        Timing.await("the L4 ONLINE again after the demo's failover", () -> rowOf("NVIDIA L4 24GB (declared)")
            .startsWith("ONLINE"), () -> rowOf("NVIDIA L4 24GB (declared)"));
        screenshot("console-demo.png");

        Ignite demo0 = Ignition.ignite("demo-0");
        long injected = System.nanoTime();
        FabricPlugin.of(demo0).faults().fail(DemoFailover.FAILED_FABRIC, "fan stopped (browser test)");
        try {
            Timing.await("the L4 OFFLINE on the open page", () -> rowOf("NVIDIA L4 24GB (declared)")
                .equals("OFFLINE | injected fault: fan stopped (browser test)"), () -> rowOf("NVIDIA L4 24GB (declared)"));
            System.out.println("console showed the injected failure "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - injected) + " ms after it was injected");
            screenshot("console-failure.png");
        }
        finally {
            FabricPlugin.of(demo0).faults().restore(DemoFailover.FAILED_FABRIC);
        }
        Timing.await("the L4 ONLINE again on the open page", () -> rowOf("NVIDIA L4 24GB (declared)")
            .startsWith("ONLINE"), () -> rowOf("NVIDIA L4 24GB (declared)"));
    }

    @Test
    void consoleRestApiAnswersJsonBesideThePage() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(console.resolve("api/fabrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"model\":\"Xilinx Alveo U250 (declared)\""), r.body());
    }
}
