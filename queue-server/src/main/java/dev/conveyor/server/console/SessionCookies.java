package dev.conveyor.server.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's two cookies and its CSRF tokens.
 *
 * <p>{@value #SESSION} is a random browser id, set on the first visit; {@value #TOKEN} holds the
 * bearer token after a login. Both are HttpOnly (no script reads them) and SameSite=Strict (no
 * other site's page sends them). A form's CSRF token is an HMAC of the browser id under this
 * process's key, so a POST must carry a value only a page of this console could have shown; a form
 * rendered by one server and posted to another after a restart asks the person to reload.
 */
final class SessionCookies {
    static final String SESSION = "conveyor_session";
    static final String TOKEN = "conveyor_token";
    private static final String PATH = "/console";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    SessionCookies() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    static Map<String, String> read(HttpExchange exchange) {
        Map<String, String> cookies = new HashMap<>();
        List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return cookies;
    }

    /** A new browser id, set as the session cookie. */
    String startSession(HttpExchange exchange) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String id = BASE64.encodeToString(bytes);
        set(exchange, SESSION, id, -1);
        return id;
    }

    /** Stored encoded: a token may hold characters that a cookie value may not. */
    void setToken(HttpExchange exchange, String token) {
        set(exchange, TOKEN, BASE64.encodeToString(token.getBytes(StandardCharsets.UTF_8)), -1);
    }

    /** The bearer token of the cookies, or null when there is none or it was tampered into nonsense. */
    static String token(Map<String, String> cookies) {
        String encoded = cookies.get(TOKEN);
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void clearToken(HttpExchange exchange) {
        set(exchange, TOKEN, "", 0);
    }

    String csrfToken(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return BASE64.encodeToString(mac.doFinal(sessionId.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    boolean validCsrf(String sessionId, String submitted) {
        if (sessionId == null || submitted == null) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(sessionId).getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }

    private static void set(HttpExchange exchange, String name, String value, int maxAge) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value).append("; Path=").append(PATH)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAge >= 0) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        if (exchange instanceof HttpsExchange) {
            cookie.append("; Secure");
        }
        exchange.getResponseHeaders().add("Set-Cookie", cookie.toString());
    }
}
