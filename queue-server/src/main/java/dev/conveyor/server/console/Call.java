package dev.conveyor.server.console;

import com.sun.net.httpserver.HttpExchange;
import dev.conveyor.core.Audit;
import dev.conveyor.core.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One request to the console: its path, its fields, who made it, and the ways to answer it. */
final class Call {
    /** Large enough for a manifest of a full rack pasted into the form. */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpExchange exchange;
    private final List<String> path;
    private final Form query;
    private final ConsoleUser user;
    private final String csrf;
    private Form form;

    Call(HttpExchange exchange, List<String> path, ConsoleUser user, String csrf) {
        this.exchange = exchange;
        this.path = path;
        this.query = Form.parse(exchange.getRequestURI().getRawQuery());
        this.user = user;
        this.csrf = csrf;
    }

    /** The path below {@code /console/}, split at slashes, without empty parts. */
    static List<String> segments(String path) {
        String rest = path.length() > Console.PATH.length() ? path.substring(Console.PATH.length()) : "";
        return Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    String method() {
        return exchange.getRequestMethod();
    }

    List<String> path() {
        return path;
    }

    String segment(int i) {
        return i < path.size() ? path.get(i) : null;
    }

    long idAt(int i, String field) {
        try {
            return Long.parseLong(segment(i));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(field, "must be a job id (a whole number)");
        }
    }

    Form query() {
        return query;
    }

    /** The posted form, read once; bodies past {@link #MAX_BODY_BYTES} are refused. */
    Form form() throws IOException {
        if (form == null) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    throw new InvalidRequestException("form", "must be at most " + MAX_BODY_BYTES / 1024 + " KiB");
                }
                form = Form.parse(new String(body, StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    ConsoleUser user() {
        return user;
    }

    /** The audit identity of a change made from this request. */
    Audit audit(String action) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return new Audit(user.name(), user.roleLabels(), "console." + action,
                remote == null ? null : remote.getAddress().getHostAddress());
    }

    HttpExchange exchange() {
        return exchange;
    }

    /** What every page's template is given: who is looking, the form token, the formatter. */
    Map<String, Object> model(String page) {
        Map<String, Object> model = new HashMap<>();
        model.put("nav", page);
        model.put("user", user);
        model.put("csrf", csrf);
        model.put("fmt", Format.INSTANCE);
        return model;
    }

    void html(int status, String body) throws IOException {
        securityHeaders();
        send(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = method().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** 303 See Other: after a POST, the browser GETs the page that shows what changed. */
    void redirect(String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private void securityHeaders() {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Cache-Control", "no-store");
    }
}
