package dev.conveyor.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.conveyor.core.JobState;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.dcsim.Fault;
import dev.conveyor.server.security.TokenFile;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.validation.workflow.RackWorkflow;
import dev.conveyor.validation.workflow.ValidateOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over real HTTP without a browser: escaping, CSRF, roles and login, errors as pages,
 * and the live stream fed by the server's event tail.
 */
@ExtendWith(TestDatabase.class)
class ConsoleHttpIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static ConsoleSite site;
    private static HttpServer withTokens;
    private static Console tokenConsole;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(TestDb db, @TempDir Path dir) throws IOException {
        site = ConsoleSite.start(db);
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, """
                tess  technician  sha256:%s
                otto  operator    sha256:%s
                sam   submitter   sha256:%s
                """.formatted(TokenFile.hash("tech-token"), TokenFile.hash("op-token"), TokenFile.hash("sub-token")));
        tokenConsole = new Console(site.queues(), ConsoleAuth.of(TokenFile.open(tokens)));
        withTokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        withTokens.createContext(Console.PATH, tokenConsole);
        withTokens.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        withTokens.start();
    }

    @AfterAll
    static void stop() {
        if (withTokens != null) {
            withTokens.stop(0);
            tokenConsole.close();
        }
        if (site != null) {
            site.close();
        }
    }

    /** The rack's badge is its verdict: a parent that ran its summary is not a rack that passed. */
    @Test
    void aRackWithAFailedDeviceIsShownFailed() throws Exception {
        RackManifest served = ManifestCodec.parse(site.servedManifestYaml(), ManifestFormat.YAML);
        RackManifest twoServers = new RackManifest(served.rackId(), served.switches(),
                served.servers().subList(0, 2), served.profiles());
        String failing = twoServers.servers().get(1).serial();
        site.sim().faults(failing).inject(new Fault.FailedFan("Fan 2"));
        try {
            long parent = new RackWorkflow(site.queues(), 4).validate(twoServers,
                    new ValidateOptions(null, 0, "console-it", null)).parentJobId();
            Conditions.await(Duration.ofMinutes(2), "rack validation " + parent + " to end",
                    () -> site.queues().get(parent).state().isTerminal());

            String page = get(site.baseUrl() + "/console/racks/" + parent, null).body();

            assertThat(page).contains("id=\"rack-verdict\">FAILED</span>", "1 failed", "3 passed");
            assertThat(page.substring(page.indexOf("<h1>"), page.indexOf("</h1>"))).doesNotContain("SUCCEEDED");
            assertThat(site.queues().get(parent).state()).isEqualTo(JobState.DEAD);
            assertThat(site.queues().get(parent).lastError()).contains("FAILED: 1 of 4 devices failed: " + failing);
        } finally {
            site.sim().faults(failing).clear();
        }
    }

    @Test
    void whatAJobCarriesIsShownAsTextNeverAsMarkup() throws Exception {
        long id = site.queues().submit(NewJob.builder("escaping", "probe")
                .payload("<img src=x onerror=alert(1)>".getBytes(StandardCharsets.UTF_8), "text/plain")
                .labels(Map.of("note", "<script>alert(1)</script>")).build()).jobId();

        for (String page : List.of("/console/jobs?queue=escaping", "/console/jobs/" + id)) {
            HttpResponse<String> response = get(site.baseUrl() + page, null);
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.body()).as(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    .doesNotContain("<script>alert(1)").doesNotContain("<img src=x");
            assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                    .contains("script-src 'self'");
        }
    }

    @Test
    void aFormWithoutItsTokenChangesNothing() throws Exception {
        long id = submitReady("csrf");
        HttpResponse<String> page = get(site.baseUrl() + "/console/jobs/" + id, null);
        String cookie = cookies(page);

        HttpResponse<String> forged = post(site.baseUrl() + "/console/jobs/" + id + "/cancel", cookie, "csrf=forged");
        HttpResponse<String> missing = post(site.baseUrl() + "/console/jobs/" + id + "/cancel", cookie, "");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("reload the page");
        assertThat(site.queues().get(id).state()).isEqualTo(JobState.READY);
    }

    @Test
    void cancelFromTheFormIsAuditedAndLeadsBackToTheJob() throws Exception {
        long id = submitReady("cancel");
        HttpResponse<String> page = get(site.baseUrl() + "/console/jobs/" + id, null);

        HttpResponse<String> cancelled = post(site.baseUrl() + "/console/jobs/" + id + "/cancel", cookies(page),
                "csrf=" + csrf(page));

        assertThat(cancelled.statusCode()).isEqualTo(303);
        assertThat(cancelled.headers().firstValue("Location")).contains("/console/jobs/" + id);
        assertThat(site.queues().get(id).state()).isEqualTo(JobState.CANCELLED);
        assertThat(site.queues().auditLog(null, null, 10)).anySatisfy(record -> {
            assertThat(record.action()).isEqualTo("console.CancelJob");
            assertThat(record.target()).isEqualTo("job " + id);
        });

        HttpResponse<String> again = post(site.baseUrl() + "/console/jobs/" + id + "/cancel", cookies(page),
                "csrf=" + csrf(page));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("Not cancelled");
    }

    @Test
    void badInputIsAMessageOnThePageNeverAStackTrace() throws Exception {
        Map<String, Integer> expected = Map.of(
                "/console/jobs/123456789", 404,
                "/console/jobs/abc", 400,
                "/console/jobs?state=bogus", 400,
                "/console/jobs?from=yesterday", 400,
                "/console/jobs?label=%3Dx", 400,
                "/console/racks/123456789", 404,
                "/console/nowhere", 404);
        for (var entry : expected.entrySet()) {
            HttpResponse<String> response = get(site.baseUrl() + entry.getKey(), null);
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(entry.getValue());
            assertThat(response.body()).as(entry.getKey()).contains("class=\"error\"")
                    .doesNotContain("Exception:").doesNotContain("at dev.conveyor");
        }
        HttpResponse<String> racks = get(site.baseUrl() + "/console/racks", null);
        HttpResponse<String> refused = post(site.baseUrl() + "/console/racks", cookies(racks),
                "csrf=" + csrf(racks) + "&manifest=" + URLEncoder.encode("rackId: r9\nservers: [{serial: X}]",
                        StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"manifest-problems\"").contains("rackId: r9");
    }

    @Test
    void theRootLeadsToTheConsole() throws Exception {
        HttpResponse<String> root = get(site.baseUrl() + "/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/console/");
        assertThat(get(site.baseUrl() + "/console/static/console.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void withTokensAPersonLogsInAndSeesTheButtonsOfTheirRoles() throws Exception {
        String base = "http://127.0.0.1:" + withTokens.getAddress().getPort();
        long id = submitReady("roles");

        HttpResponse<String> anonymous = get(base + "/console/jobs/" + id, null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).contains("/console/login");

        String tech = login(base, "tech-token");
        String operator = login(base, "op-token");
        String submitter = login(base, "sub-token");

        assertThat(get(base + "/console/jobs/" + id, tech).body()).doesNotContain("id=\"cancel-job\"");
        assertThat(get(base + "/console/racks", tech).body()).contains("id=\"validate-rack\"");
        assertThat(get(base + "/console/workers", tech).statusCode()).isEqualTo(403);
        assertThat(get(base + "/console/jobs/" + id, operator).body()).contains("id=\"cancel-job\"");
        assertThat(get(base + "/console/racks", operator).body()).doesNotContain("id=\"validate-rack\"");
        assertThat(get(base + "/console/queues", submitter).statusCode()).isEqualTo(403);

        HttpResponse<String> techPage = get(base + "/console/jobs/" + id, tech);
        HttpResponse<String> refused = post(base + "/console/jobs/" + id + "/cancel", tech, "csrf=" + csrf(techPage));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(site.queues().get(id).state()).isEqualTo(JobState.READY);
        // The refusal is a mutating call too: audited as DENIED, with who, what and on which job.
        assertThat(site.queues().auditLog(null, null, 50)).anySatisfy(record -> {
            assertThat(record.actor()).isEqualTo("tess");
            assertThat(record.action()).contains("CancelJob");
            assertThat(record.target()).isEqualTo("job " + id);
            assertThat(record.outcome()).isEqualTo("DENIED");
        });

        HttpResponse<String> loginPage = get(base + "/console/login", null);
        HttpResponse<String> unknown = post(base + "/console/login", cookies(loginPage),
                "csrf=" + csrf(loginPage) + "&token=nope");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("not known");
    }

    @Test
    void theLiveStreamCarriesTheEventsOfTheJobsAsked() throws Exception {
        long id = submitReady("live");
        HttpRequest request = HttpRequest.newBuilder(URI.create(site.baseUrl() + "/console/events?jobs=" + id))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<java.io.InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("retry: 2000");
            site.queues().cancel(id, "live stream test", "test");
            // The submission's own event may come first: the tail delivers what it reads, in order.
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.contains("\"state\":\"CANCELLED\"") && System.nanoTime() < deadline);
            assertThat(line).startsWith("data: ").contains("\"jobId\":" + id).contains("\"state\":\"CANCELLED\"");
        }
    }

    private long submitReady(String queue) {
        return site.queues().submit(NewJob.builder(queue, "probe").build()).jobId();
    }

    /** Logs in with a token and returns the cookies that carry the session. */
    private String login(String base, String token) throws Exception {
        HttpResponse<String> page = get(base + "/console/login", null);
        HttpResponse<String> done = post(base + "/console/login", cookies(page), "csrf=" + csrf(page) + "&token=" + token);
        assertThat(done.statusCode()).isEqualTo(303);
        List<String> set = done.headers().allValues("Set-Cookie");
        assertThat(set).anySatisfy(c -> assertThat(c).startsWith(SessionCookies.TOKEN + "=")
                .contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console"));
        return cookies(page) + "; " + set.getFirst().substring(0, set.getFirst().indexOf(';'));
    }

    private HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String cookie, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie a page set, as a Cookie header. */
    private static String cookies(HttpResponse<String> page) {
        return page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SessionCookies.SESSION + "="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie on " + page.uri()));
    }

    private static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no form token on " + page.uri());
        }
        return m.group(1);
    }
}
