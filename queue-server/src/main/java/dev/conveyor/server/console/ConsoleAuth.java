package dev.conveyor.server.console;

import dev.conveyor.core.SubmitQuota;
import dev.conveyor.server.security.RateLimits;
import dev.conveyor.server.security.Role;
import dev.conveyor.server.security.TokenFile;
import java.util.Optional;
import java.util.Set;

/**
 * How the console learns who is calling. With a token file, a person logs in by pasting the bearer
 * token they use with the API; the console keeps it in an HttpOnly, SameSite=Strict cookie and
 * looks it up again on every request, so a token removed from the file stops working at once and
 * every server behind one address accepts the cookie.
 */
public interface ConsoleAuth {

    /** Whether a caller must log in; false only for a server that runs without a token file. */
    boolean required();

    /** The person a bearer token stands for, or empty when the token is unknown. */
    Optional<ConsoleUser> authenticate(String bearerToken);

    /**
     * The allowance of jobs {@code user} may create (the rack form), shared with its gRPC calls;
     * unlimited by default.
     */
    default SubmitQuota quota(ConsoleUser user) {
        return SubmitQuota.UNLIMITED;
    }

    /** The identities of the server's token file; everyone an admin when there is none. */
    static ConsoleAuth of(TokenFile tokens) {
        return of(tokens, null);
    }

    /**
     * The identities of the server's token file, each held to its submit rate in {@code limits}
     * (null: unlimited); everyone an admin when there is no token file.
     */
    static ConsoleAuth of(TokenFile tokens, RateLimits limits) {
        return tokens == null ? everyoneIsAdmin() : new ConsoleAuth() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public SubmitQuota quota(ConsoleUser user) {
                return limits == null ? SubmitQuota.UNLIMITED : limits.quotaFor(user.name());
            }

            @Override
            public Optional<ConsoleUser> authenticate(String bearerToken) {
                return bearerToken == null || bearerToken.isEmpty() ? Optional.empty()
                        : tokens.byToken(bearerToken).map(ConsoleUser::of);
            }
        };
    }

    /**
     * Everyone is an admin, without logging in: only for a server that runs without a token file
     * ({@code --plaintext} on a laptop, the embedded-database tour), which lets every gRPC caller
     * do everything too.
     */
    static ConsoleAuth everyoneIsAdmin() {
        ConsoleUser admin = new ConsoleUser("anonymous", Set.of(Role.ADMIN));
        return new ConsoleAuth() {
            @Override
            public boolean required() {
                return false;
            }

            @Override
            public Optional<ConsoleUser> authenticate(String bearerToken) {
                return Optional.of(admin);
            }
        };
    }
}
