package dev.cnnworkbench.web.auth;

import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.storage.UserAccount;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.ApiException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may send what: one handler in front of every route but the ingest route (which has its server.json token),
 * installed after the API body limit. It puts the request's {@link Caller} in the context, or refuses the request.
 *
 * <p>Always: a request naming another host than this server's is refused ({@link #mountHostCheck}, against DNS
 * rebinding), and a state-changing request (POST, PUT, PATCH, DELETE) or the live stream whose {@code Origin} header names
 * another site is refused (403), so that no web page elsewhere can act, or listen, through a visitor's browser.
 *
 * <p>Without team mode every request is the server's own user, an admin: a single-user server on 127.0.0.1.
 *
 * <p>In team mode ({@code serve --auth}) a request is someone's when it carries a personal API token
 * ({@code Authorization: Bearer wb_...}, looked up by its SHA-256 on a worker thread) or the cookie of a browser
 * session ({@value #SESSION_COOKIE}: HttpOnly, SameSite=Lax, Secure over TLS). A session's state-changing request must
 * also carry the session's CSRF token in {@value #CSRF_HEADER} (a synchronizer token, compared in constant time; the
 * page gets it from the login reply or {@code GET /api/me}); a bearer token needs none, as no browser sends it by
 * itself. Anyone else gets 401 with a JSON message from the API, and a redirect to the login page for a page. Only
 * the login page, its script and style, and {@code POST /api/login} are open to all.
 */
public final class AccessControl {

    public static final String SESSION_COOKIE = "wb_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String LOGIN_PAGE = "/login.html";
    /** The session of the request, when it came with one. */
    public static final String SESSION_KEY = "workbench.session";
    private static final Set<String> PUBLIC_FILES = Set.of(LOGIN_PAGE, "/js/login.js", "/css/app.css");
    private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final String STREAM = "/api/stream";
    private static final String LOGIN_API = "/api/login";

    private final UserAccounts accounts;
    private final Sessions sessions;
    private final WorkerExecutor blocking;
    private final Caller local;

    private AccessControl(UserAccounts accounts, Sessions sessions, WorkerExecutor blocking, Caller local) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.blocking = blocking;
        this.local = local;
    }

    /** No team mode: every request is {@code user}'s, an admin. */
    public static AccessControl single(String user) {
        return new AccessControl(null, null, null, new Caller(user, true, Caller.Via.LOCAL));
    }

    /** Team mode over these accounts; {@code blocking} runs the token and account lookups. */
    public static AccessControl team(UserAccounts accounts, Sessions sessions, WorkerExecutor blocking) {
        return new AccessControl(accounts, sessions, blocking, null);
    }

    public boolean teamMode() {
        return accounts != null;
    }

    public void mount(Router router) {
        router.route().handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        if ((CHANGING.contains(method) || STREAM.equals(path)) && !sameOrigin(ctx)) {
            ctx.fail(new ApiException(403, "refused: this request comes from a page of another site (Origin: "
                    + ctx.request().getHeader("Origin") + "); use the dashboard itself, or an API token without a browser"));
            return;
        }
        if (!teamMode()) {
            proceed(ctx, local);
            return;
        }
        if (isPublic(method, path)) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null) {
            bearer(ctx, authorization);
            return;
        }
        String id = sessionId(ctx);
        if (id == null) {
            unauthenticated(ctx, path);
            return;
        }
        blocking.executeBlocking(() -> sessions.find(id), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                unauthenticated(ctx, path);
            } else {
                session(ctx, method, ar.result().get());
            }
        });
    }

    private static void session(RoutingContext ctx, HttpMethod method, Sessions.Session s) {
        if (CHANGING.contains(method) && !csrfMatches(ctx.request().getHeader(CSRF_HEADER), s.csrfToken())) {
            ctx.fail(new ApiException(403, "missing or wrong " + CSRF_HEADER + " header: a browser session must send the"
                    + " token it got at login (GET /api/me tells it again) with every change; reload the page"));
            return;
        }
        ctx.put(SESSION_KEY, s);
        proceed(ctx, new Caller(s.user(), s.admin(), Caller.Via.SESSION));
    }

    private void bearer(RoutingContext ctx, String authorization) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse401(ctx, "the Authorization header must be 'Bearer TOKEN', with a personal API token from"
                    + " 'workbench user token NAME'");
            return;
        }
        String token = authorization.substring(7).trim();
        blocking.executeBlocking(() -> accounts.byToken(token), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                refuse401(ctx, "unknown or revoked API token; make a new one with 'workbench user token NAME'");
            } else {
                UserAccount user = ar.result().get();
                proceed(ctx, new Caller(user.name(), user.admin(), Caller.Via.TOKEN));
            }
        });
    }

    private static void proceed(RoutingContext ctx, Caller caller) {
        ctx.put(Caller.KEY, caller);
        ctx.next();
    }

    private void unauthenticated(RoutingContext ctx, String path) {
        if (sessionId(ctx) != null) {
            clearCookie(ctx);
        }
        HttpMethod method = ctx.request().method();
        if (!path.startsWith("/api/") && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            ctx.response().setStatusCode(302)
                    .putHeader("Location", LOGIN_PAGE + "?next=" + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8))
                    .putHeader("Cache-Control", "no-store")
                    .end();
            return;
        }
        refuse401(ctx, "log in first: this server is in team mode (POST /api/login from the login page, or send"
                + " 'Authorization: Bearer TOKEN' with a personal API token)");
    }

    private static void refuse401(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"workbench\"");
        ctx.fail(new ApiException(401, message));
    }

    private static boolean isPublic(HttpMethod method, String path) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return PUBLIC_FILES.contains(path);
        }
        return method == HttpMethod.POST && LOGIN_API.equals(path);
    }

    public static boolean csrfMatches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * In front of every route, in every mode: refuses (421, JSON) a request whose {@code Host} header (or HTTP/2
     * {@code :authority}) names none of this server's names: the loopback names ({@code localhost}, {@code 127.0.0.1},
     * {@code [::1]}), the bound address ({@code bind}; when that is a wildcard, every address of this machine's
     * interfaces and its host name) and {@code allowed}. The port is not compared. A page of another site whose DNS
     * name is rebound to this machine (DNS rebinding) sends its own name as Host, so it cannot read or change anything
     * even though its Origin matches.
     */
    public static void mountHostCheck(Router router, String bind, List<String> allowed) {
        Set<String> names = new HashSet<>(List.of("localhost", "127.0.0.1", canonical("::1")));
        names.add(canonical(bare(bind)));
        allowed.forEach(h -> names.add(canonical(h)));
        if (isWildcard(bind)) {
            names.add(Host.name().toLowerCase(Locale.ROOT));
            names.addAll(interfaceAddresses());
        }
        router.route().handler(ctx -> {
            HostAndPort authority = ctx.request().authority();
            String host = authority == null ? null : canonical(bare(authority.host()));
            if (host != null && names.contains(host)) {
                ctx.next();
                return;
            }
            ctx.fail(new ApiException(421, host == null ? "the request has no Host header; send the name or address of"
                    + " this server" : "this server does not answer to the host name '" + host + "'; if people reach it"
                    + " by that name, start it with --allow-host " + host));
        });
    }

    /** A host as compared: lower case, without a trailing dot, an IPv6 literal in its one standard form. */
    private static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (h.indexOf(':') >= 0 && h.matches("[0-9a-f:.]+")) {
            try {
                return InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static boolean isWildcard(String bind) {
        return "0.0.0.0".equals(bind) || canonical(bare(bind)).equals(canonical("::"));
    }

    private static List<String> interfaceAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    String address = a.getHostAddress();
                    int scope = address.indexOf('%');
                    out.add(canonical(scope < 0 ? address : address.substring(0, scope)));
                }
            }
        } catch (SocketException e) {
            // no interface list: only the loopback names and the allowed ones are accepted
        }
        return out;
    }

    /**
     * Whether the request's {@code Origin} (when it has one) is this server as the browser addressed it: the same
     * host and port as the request's authority (its {@code Host} header, or HTTP/2's {@code :authority}). Browsers
     * send {@code Origin} with every cross-site request that could change something, so its absence means a same-site
     * page or a client that is no browser.
     */
    public static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        HostAndPort authority = ctx.request().authority();
        if (authority == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false;
            }
            if (!bare(uri.getHost()).equalsIgnoreCase(bare(authority.host()))) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return authority.port() == -1 ? uri.getPort() == -1 : authority.port() == port;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A host name without the brackets of an IPv6 literal. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The session id the request's cookie carries, or {@code null}. */
    public static String sessionId(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /** Sets the session cookie: HttpOnly, SameSite=Lax, for the whole site, Secure when the browser came over TLS. */
    public static void setCookie(RoutingContext ctx, String sessionId) {
        ctx.response().addCookie(cookie(ctx, sessionId));
    }

    /** Tells the browser to forget the session cookie. */
    public static void clearCookie(RoutingContext ctx) {
        ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
    }

    private static Cookie cookie(RoutingContext ctx, String value) {
        boolean tls = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
        return Cookie.cookie(SESSION_COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                .setSecure(tls);
    }
}
