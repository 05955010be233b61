package dev.conveyor.server.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.conveyor.core.ConveyorException;
import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.QueueNotFoundException;
import dev.conveyor.core.QueueManager;
import dev.conveyor.core.QuotaExceededException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.server.ConveyorNode;
import dev.conveyor.validation.workflow.UnknownRackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console for operators and technicians, served under {@value #PATH} on the server's HTTP
 * port: queues, jobs, workers and racks, with live updates from the server's event tail.
 *
 * <p>Pages are FreeMarker templates (escaped HTML) with a little script of our own; forms are POSTs
 * with a CSRF token that answer with a redirect (post/redirect/get). Who may see and do what comes
 * from {@link ConsoleAuth}. Bad input is a message on the page; anything unexpected is logged here
 * and shown as an internal error, never as a stack trace.
 */
public final class Console implements HttpHandler, AutoCloseable {
    public static final String PATH = "/console/";
    private static final Logger log = LoggerFactory.getLogger(Console.class);

    private final ConsoleAuth auth;
    private final SessionCookies cookies = new SessionCookies();
    private final Templates templates = new Templates();
    private final StaticFiles staticFiles = new StaticFiles();
    private final LiveEvents live = new LiveEvents();
    private final QueuePages queuePages;
    private final JobPages jobPages;
    private final WorkerPage workerPage;
    private final RackPages rackPages;
    private final LoginPage loginPage;
    private final QueueManager queues;

    /** Set once by {@link #mount}: ends the subscription to the node's event tail. */
    private volatile Runnable unsubscribe = () -> {
    };

    /** @param queues the server's queue; changes are made through its audited views */
    Console(QueueManager queues, ConsoleAuth auth) {
        this.auth = auth;
        this.queuePages = new QueuePages(queues, new Throughput(queues.database()), templates);
        this.jobPages = new JobPages(queues, templates);
        this.workerPage = new WorkerPage(queues, templates);
        this.rackPages = new RackPages(queues, templates, auth::quota);
        this.queues = queues;
        this.loginPage = new LoginPage(auth, cookies, templates);
    }

    /**
     * Serves the console on the node's HTTP port under {@value #PATH} ({@code /} redirects there),
     * with live updates from the node's one event tail. Closing the console ends its live streams.
     */
    public static Console mount(ConveyorNode node, ConsoleAuth auth) {
        Console console = new Console(node.queues(), auth);
        console.unsubscribe = node.onEveryEvent(console.live);
        node.mount(PATH, console);
        node.mount("/", rootRedirect());
        return console;
    }

    /** Answers {@code /} and {@code /console} with a redirect to the console, anything else with 404. */
    private static HttpHandler rootRedirect() {
        return exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/") || path.equals("/console")) {
                    exchange.getResponseHeaders().set("Location", PATH);
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        };
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> segments = Call.segments(exchange.getRequestURI().getPath());
            if (!segments.isEmpty() && segments.getFirst().equals("static")) {
                Call call = new Call(exchange, segments, null, null);
                if (!staticFiles.serve(call, segments.size() == 2 ? segments.get(1) : null)) {
                    exchange.sendResponseHeaders(404, -1);
                }
                return;
            }
            serve(exchange, segments);
        }
    }

    private void serve(HttpExchange exchange, List<String> segments) throws IOException {
        Map<String, String> jar = SessionCookies.read(exchange);
        String session = jar.get(SessionCookies.SESSION);
        if (session == null) {
            session = cookies.startSession(exchange);
        }
        String csrf = cookies.csrfToken(session);
        String first = segments.isEmpty() ? "" : segments.getFirst();
        Optional<ConsoleUser> user = auth.authenticate(auth.required() ? SessionCookies.token(jar) : null);
        Call call = new Call(exchange, segments, user.orElse(null), csrf);
        try {
            if (call.method().equals("POST") && !cookies.validCsrf(session, call.form().raw("csrf"))) {
                throw new Forbidden("the form has expired (or did not come from this console): reload the page and"
                        + " try again");
            }
            if (first.equals("login") || first.equals("logout")) {
                login(call, first);
                return;
            }
            if (user.isEmpty()) {
                if (first.equals("events")) {
                    exchange.sendResponseHeaders(401, -1);
                } else {
                    call.redirect(PATH + "login");
                }
                return;
            }
            Access.requireReader(call);
            route(call, first);
        } catch (InvalidRequestException e) {
            error(call, 400, e.getMessage());
        } catch (Forbidden e) {
            auditRefusal(call, first, e.getMessage());
            error(call, 403, e.getMessage());
        } catch (QuotaExceededException e) {
            error(call, 429, e.getMessage());
        } catch (JobNotFoundException | QueueNotFoundException | UnknownRackException e) {
            error(call, 404, e.getMessage());
        } catch (IllegalJobStateException | IdempotencyConflictException e) {
            error(call, 409, e.getMessage());
        } catch (StoreUnavailableException e) {
            log.warn("console request {} failed: the database is unavailable: {}", exchange.getRequestURI().getPath(),
                    e.getMessage());
            error(call, 503, "The database is unavailable; try again in a moment.");
        } catch (RuntimeException e) {
            // The page gets a reference to the log line, never the exception's class or message.
            String ref = UUID.randomUUID().toString().substring(0, 8);
            log.error("console request {} {} failed (ref {})", call.method(), exchange.getRequestURI().getPath(), ref, e);
            error(call, 500, "Internal error (ref " + ref + "); it has been logged.");
        }
    }

    private void route(Call call, String first) throws IOException {
        boolean get = call.method().equals("GET") || call.method().equals("HEAD");
        boolean post = call.method().equals("POST");
        int depth = call.path().size();
        switch (first) {
            case "" -> call.redirect(PATH + "queues");
            case "queues" -> {
                if (get && depth == 1) {
                    queuePages.list(call);
                } else if (post && depth == 3 && List.of("pause", "resume").contains(call.segment(2))) {
                    queuePages.pauseOrResume(call, call.segment(1), call.segment(2).equals("pause"));
                } else {
                    notFound(call);
                }
            }
            case "jobs" -> {
                if (get && depth == 1) {
                    jobPages.list(call);
                } else if (get && depth == 2) {
                    jobPages.show(call, call.idAt(1, "job"));
                } else if (post && depth == 3 && call.segment(2).equals("cancel")) {
                    jobPages.cancel(call, call.idAt(1, "job"));
                } else if (post && depth == 3 && call.segment(2).equals("retry")) {
                    jobPages.retry(call, call.idAt(1, "job"));
                } else {
                    notFound(call);
                }
            }
            case "workers" -> {
                if (get && depth == 1) {
                    workerPage.show(call);
                } else {
                    notFound(call);
                }
            }
            case "racks" -> {
                if (get && depth == 1) {
                    rackPages.list(call);
                } else if (post && depth == 1) {
                    rackPages.validate(call);
                } else if (get && depth == 2) {
                    rackPages.show(call, call.idAt(1, "rack"));
                } else if (get && depth == 4 && call.segment(2).equals("devices")) {
                    rackPages.device(call, call.idAt(1, "rack"), call.idAt(3, "device"));
                } else {
                    notFound(call);
                }
            }
            case "events" -> {
                if (get && depth == 1) {
                    live.serve(call.exchange(), EventFilter.jobs(call.query().get("jobs")));
                } else {
                    notFound(call);
                }
            }
            default -> notFound(call);
        }
    }

    /**
     * A change refused for the person's roles (or a forged form) is audited as DENIED, as the gRPC
     * server audits its refusals: who, which action on what, why, from where. Pages (GET) and the
     * login form are not changes.
     */
    private void auditRefusal(Call call, String first, String reason) {
        if (!call.method().equals("POST") || call.user() == null || first.equals("login") || first.equals("logout")) {
            return;
        }
        String action;
        String target;
        if (first.equals("jobs") && call.path().size() == 3) {
            action = call.segment(2).equals("retry") ? "RetryJob" : "CancelJob";
            target = "job " + call.segment(1);
        } else if (first.equals("queues") && call.path().size() == 3) {
            action = call.segment(2).equals("resume") ? "ResumeQueue" : "PauseQueue";
            target = "queue " + call.segment(1);
        } else if (first.equals("racks")) {
            action = "ValidateRack";
            target = "rack";
        } else {
            action = "POST " + String.join("/", call.path());
            target = null;
        }
        try {
            queues.auditDenied(call.audit(action), target, reason);
        } catch (ConveyorException e) {
            log.warn("refused console action not audited ({}): {}", reason, e.getMessage());
        }
    }

    private void login(Call call, String first) throws IOException {
        boolean post = call.method().equals("POST");
        if (first.equals("login") && post) {
            loginPage.logIn(call);
        } else if (first.equals("login") && call.path().size() == 1) {
            loginPage.show(call);
        } else if (post) {
            loginPage.logOut(call);
        } else {
            notFound(call);
        }
    }

    private void notFound(Call call) throws IOException {
        error(call, 404, "There is no such page in the console.");
    }

    private void error(Call call, int status, String message) throws IOException {
        Map<String, Object> model = call.model("error");
        model.put("status", status);
        model.put("message", message);
        String body;
        try {
            body = templates.render("error.ftlh", model);
        } catch (IllegalStateException e) {
            log.error("console error page failed", e);
            call.send(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
            return;
        }
        call.html(status, body);
    }

    /** Ends the live streams, so that the HTTP server can stop without waiting for them. */
    @Override
    public void close() {
        unsubscribe.run();
        live.close();
    }
}
