package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.api.ApiJson;
import dev.cnnworkbench.web.auth.AccessControl;
import dev.cnnworkbench.web.auth.Caller;
import dev.cnnworkbench.web.auth.Sessions;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logged-in browser whose account changes, on a real server with a clock the test moves: {@link AccessControl}
 * reads the session with its account on every request, so a change shows at the next one.
 */
class SessionEndTest {

    @TempDir
    Path home;
    Database db;
    Vertx vertx;
    WorkerExecutor blocking;
    UserAccounts users;
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    Sessions sessions;
    int port;

    @BeforeEach
    void start() {
        db = Database.openEmbedded(home);
        users = new UserAccounts(db, new PasswordHashes(1_000));
        vertx = Vertx.vertx();
        blocking = vertx.createSharedWorkerExecutor("test-blocking", 2);
        sessions = new Sessions(users.sessions(), now::get);
        Router router = Router.router(vertx);
        AccessControl.team(users, sessions, blocking).mount(router);
        router.get("/api/who").handler(ctx -> {
            Caller c = Caller.of(ctx);
            ctx.json(new JsonObject().put("user", c.name()).put("admin", c.admin()));
        });
        router.route().failureHandler(ctx -> {
            ApiException e = (ApiException) ctx.failure();
            ctx.response().setStatusCode(e.status()).end(ApiJson.error(e.getMessage(), null).encode());
        });
        HttpServer server = TestStack.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        port = server.actualPort();
    }

    @AfterEach
    void stop() {
        TestStack.await(vertx.close());
        db.close();
    }

    private HttpResponse<String> who(Sessions.Session s) throws Exception {
        TeamClient client = new TeamClient(port);
        client.cookie = AccessControl.SESSION_COOKIE + "=" + s.id();
        return client.get("/api/who");
    }

    @Test
    void aChangedPasswordEndsTheSessionAtTheNextRequestAndClearsItsCookie() throws Exception {
        users.add("bob", "bob's password".toCharArray(), false);
        Sessions.Session s = sessions.create("bob", false);
        assertThat(who(s).statusCode()).isEqualTo(200);
        users.setPassword("bob", "bob's new password".toCharArray());
        HttpResponse<String> gone = who(s);
        assertThat(gone.statusCode()).isEqualTo(401);
        assertThat(gone.headers().firstValue("Set-Cookie").orElseThrow()).contains(AccessControl.SESSION_COOKIE + "=;")
                .contains("Max-Age=0");
    }

    @Test
    void aRemovedUsersSessionEndsAtTheNextRequest() throws Exception {
        users.add("erin", "erin's password".toCharArray(), false);
        Sessions.Session s = sessions.create("erin", false);
        assertThat(who(s).statusCode()).isEqualTo(200);
        users.remove("erin");
        assertThat(who(s).statusCode()).isEqualTo(401);
    }

    @Test
    void anAccountMadeAdminIsSeenAtTheNextRequest() throws Exception {
        users.add("carol", "carol's password".toCharArray(), false);
        Sessions.Session s = sessions.create("carol", false);
        assertThat(new JsonObject(who(s).body()).getBoolean("admin")).isFalse();
        try (var c = db.connection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET admin = TRUE WHERE name = 'carol'");
        }
        assertThat(new JsonObject(who(s).body()).getBoolean("admin")).isTrue();
    }

    @Test
    void anExpiredSessionIsRefusedAndItsCookieCleared() throws Exception {
        users.add("dave", "dave's password".toCharArray(), false);
        Sessions.Session s = sessions.create("dave", false);
        now.addAndGet(Sessions.IDLE.toMillis());
        HttpResponse<String> r = who(s);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains(AccessControl.SESSION_COOKIE + "=;")
                .contains("Max-Age=0");
    }
}
