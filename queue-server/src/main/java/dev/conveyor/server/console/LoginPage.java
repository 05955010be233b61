package dev.conveyor.server.console;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Logging in with a bearer token, and out. The token is checked like any API call's, then kept in
 * an HttpOnly, SameSite=Strict cookie ({@link SessionCookies}); logging out removes it.
 */
final class LoginPage {
    private final ConsoleAuth auth;
    private final SessionCookies cookies;
    private final Templates templates;

    LoginPage(ConsoleAuth auth, SessionCookies cookies, Templates templates) {
        this.auth = auth;
        this.cookies = cookies;
        this.templates = templates;
    }

    void show(Call call) throws IOException {
        call.html(200, templates.render("login.ftlh", model(call)));
    }

    /** POST login: a known token is kept and leads into the console; an unknown one is refused, 401. */
    void logIn(Call call) throws IOException {
        String token = call.form().get("token");
        Optional<ConsoleUser> user = token == null ? Optional.empty() : auth.authenticate(token);
        if (user.isPresent() && auth.required()) {
            cookies.setToken(call.exchange(), token);
            call.redirect(Console.PATH);
            return;
        }
        Map<String, Object> model = model(call);
        model.put("error", token == null ? "Paste your bearer token." : "That token is not known to this server.");
        call.html(401, templates.render("login.ftlh", model));
    }

    /** POST logout. */
    void logOut(Call call) throws IOException {
        cookies.clearToken(call.exchange());
        call.redirect(Console.PATH + "login");
    }

    private Map<String, Object> model(Call call) {
        Map<String, Object> model = call.model("login");
        model.put("authRequired", auth.required());
        return model;
    }
}
