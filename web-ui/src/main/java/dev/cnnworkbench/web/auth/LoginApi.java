package dev.cnnworkbench.web.auth;

import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccount;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.ApiException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Logging in and out of a team-mode server, and who the browser is:
 * <ul>
 *   <li>{@code POST /api/login} with {@code {"name": ..., "password": ...}} (as {@code application/json}: a form of
 *   another site cannot send that) starts a browser session: a new session cookie (any session the request came with
 *   ends, so no one can plant a session id) and {@code {"user", "admin", "csrfToken"}}. A wrong name or password is
 *   401 with the same message for both; too many failures are 429 with {@code Retry-After} ({@link LoginThrottle}).
 *   The password is checked on a worker thread (PBKDF2 is slow on purpose).</li>
 *   <li>{@code POST /api/logout} ends the request's session and clears its cookie.</li>
 *   <li>{@code GET /api/me}: {@code {"user", "admin", "team", "via", "csrfToken"}} ({@code csrfToken} for a
 *   session only); without team mode the server's own user, an admin, and {@code "team": false}.</li>
 * </ul>
 * Without team mode the login and logout routes answer 404.
 */
public final class LoginApi {

    private final AccessControl access;
    private final UserAccounts accounts;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final WorkerExecutor blocking;

    public LoginApi(AccessControl access, UserAccounts accounts, Sessions sessions, LoginThrottle throttle, WorkerExecutor blocking) {
        this.access = access;
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.get("/api/me").handler(this::me);
        if (!access.teamMode()) {
            router.routeWithRegex("/api/log(in|out)").handler(ctx -> ctx.fail(new ApiException(404, "this server has no login: it was"
                    + " started without --auth, and every request acts as its own user")));
            return;
        }
        router.post("/api/login").handler(this::login);
        router.post("/api/logout").handler(this::logout);
    }

    private void me(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        JsonObject json = new JsonObject().put("user", caller.name()).put("admin", caller.admin())
                .put("team", access.teamMode()).put("via", caller.via().name().toLowerCase(java.util.Locale.ROOT));
        Sessions.Session session = ctx.get(AccessControl.SESSION_KEY);
        if (session != null) {
            json.put("csrfToken", session.csrfToken());
        }
        answer(ctx, 200, json);
    }

    private void login(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "send the credentials as JSON (Content-Type: application/json):"
                    + " {\"name\": ..., \"password\": ...}");
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new ApiException(400, "the body must be a JSON object {\"name\": ..., \"password\": ...}");
        }
        String name = text(body, "name");
        String password = text(body, "password");
        String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        long wait = throttle.retryAfterSeconds(name, address);
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(wait));
            throw new ApiException(429, "too many failed logins for this name or from this address; try again in "
                    + wait + " s");
        }
        char[] secret = password.toCharArray();
        String previous = AccessControl.sessionId(ctx);
        blocking.executeBlocking(() -> login(name, secret, previous), false).onComplete(ar -> {
            PasswordHashes.wipe(secret);
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Optional<Sessions.Session> session = ar.result();
            if (session.isEmpty()) {
                throttle.failed(name, address);
                ctx.fail(new ApiException(401, "wrong user name or password"));
                return;
            }
            throttle.succeeded(name);
            Sessions.Session s = session.get();
            AccessControl.setCookie(ctx, s.id());
            answer(ctx, 200, new JsonObject().put("user", s.user()).put("admin", s.admin()).put("csrfToken", s.csrfToken()));
        });
    }

    /** Checks the password; when right, ends the session the request came with (no planted ids) and starts one. */
    private Optional<Sessions.Session> login(String name, char[] secret, String previous) {
        Optional<UserAccount> user = accounts.login(name, secret);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        sessions.remove(previous);
        return Optional.of(sessions.create(user.get().name(), user.get().admin()));
    }

    private void logout(RoutingContext ctx) {
        Sessions.Session session = ctx.get(AccessControl.SESSION_KEY);
        if (session == null) {
            answer(ctx, 200, new JsonObject().put("loggedOut", false));
            return;
        }
        blocking.executeBlocking(() -> {
            sessions.remove(session.id());
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            AccessControl.clearCookie(ctx);
            answer(ctx, 200, new JsonObject().put("loggedOut", true));
        });
    }

    private static String text(JsonObject body, String field) {
        Object value = body == null ? null : body.getValue(field);
        if (!(value instanceof String s) || s.isEmpty() || s.length() > UserAccounts.MAX_PASSWORD_LENGTH) {
            throw new ApiException(400, "is required: a non-empty string", field);
        }
        return s;
    }

    private static void answer(RoutingContext ctx, int status, JsonObject json) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(json.encode());
    }
}
