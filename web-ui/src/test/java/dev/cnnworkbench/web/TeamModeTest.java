package dev.cnnworkbench.web;

import static dev.cnnworkbench.web.TeamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.auth.AccessControl;
import dev.cnnworkbench.web.auth.LoginThrottle;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode against a real server on a free port with a real H2: who gets in, how, and who may change which run.
 * Every refusal is checked for its status and its JSON message. alice is an admin; bob and carol are not.
 */
class TeamModeTest {

    static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path home;
    static TestStack stack;
    static UserAccounts users;
    static int port;
    static final FakeLauncher LAUNCHER = new FakeLauncher();

    @BeforeAll
    static void start() {
        stack = TestStack.start(home, (server, db) -> {
            users = new UserAccounts(db, new PasswordHashes(1_000));
            return server.withTeamMode(users).withLauncher(LAUNCHER);
        });
        for (String name : new String[] {"alice", "bob", "carol", "dave", "erin"}) {
            users.add(name, PASSWORD.toCharArray(), name.equals("alice"));
        }
        LAUNCHER.vertx = stack.vertx;
        run("bobs", "bob", true);
        run("carol-keeps", "carol", true);
        run("carols", "carol", true);
        run("bob-running", "bob", false);
        run("orphan", null, true);
        stack.flush();
        port = stack.server.port();
    }

    static void run(String id, String user, boolean ended) {
        stack.vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(id, "run " + id, "lenet", "{}", Map.of(),
                Map.of(), System.currentTimeMillis(), ProcessHandle.current().pid(), "test-host", user));
        if (ended) {
            stack.endRun(id, RunStatus.FINISHED, null);
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static TeamClient as(String name) throws Exception {
        TeamClient client = new TeamClient(port);
        assertThat(client.login(name, PASSWORD).statusCode()).isEqualTo(200);
        return client;
    }

    static void refused(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r).getString("error")).contains(message);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void theApiRefusesAnonymousRequestsWith401() throws Exception {
        TeamClient anonymous = new TeamClient(port);
        HttpResponse<String> r = anonymous.get("/api/runs");
        refused(r, 401, "log in first");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"workbench\"");
        refused(anonymous.get("/api/runs/bobs"), 401, "log in first");
        refused(anonymous.get("/api/me"), 401, "log in first");
        refused(anonymous.send("POST", "/api/runs", "{}"), 401, "log in first");
        refused(anonymous.send("DELETE", "/api/runs/bobs", null), 401, "log in first");
    }

    @Test
    void aPageWithoutLoginRedirectsToTheLoginPageWhichIsOpen() throws Exception {
        TeamClient anonymous = new TeamClient(port);
        HttpResponse<String> page = anonymous.get("/run.html?id=bobs");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/login.html?next=%2Frun.html%3Fid%3Dbobs");
        assertThat(anonymous.get("/").headers().firstValue("Location")).hasValue("/login.html?next=%2F");
        assertThat(anonymous.get("/js/runs.js").statusCode()).isEqualTo(302);
        assertThat(anonymous.get("/webjars/uplot/dist/uPlot.min.css").statusCode()).isEqualTo(302);
        assertThat(anonymous.get("/login.html").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/js/login.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/css/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordOrAnUnknownNameIs401WithOneMessage() throws Exception {
        TeamClient client = new TeamClient(port);
        refused(client.login("erin", "wrong password"), 401, "wrong user name or password");
        refused(client.login("nobody", PASSWORD), 401, "wrong user name or password");
        assertThat(client.cookie).isNull();
        refused(client.send("POST", "/api/login", "{\"name\": \"erin\"}"), 400, "is required");
        assertThat(json(client.send("POST", "/api/login", "{\"name\": \"erin\"}")).getString("path")).isEqualTo("password");
        refused(client.send("POST", "/api/login", "not json"), 400, "JSON object");
    }

    @Test
    void aLoginFromAFormOrAnotherSiteIsRefused() throws Exception {
        TeamClient client = new TeamClient(port).header("Content-Type", "application/x-www-form-urlencoded");
        refused(client.send("POST", "/api/login", null), 415, "as JSON");
        TeamClient foreign = new TeamClient(port).header("Origin", "http://evil.example");
        refused(foreign.login("bob", PASSWORD), 403, "another site");
    }

    @Test
    void loggingInSetsAHardenedSessionCookieThatReadsEveryRun() throws Exception {
        TeamClient bob = new TeamClient(port);
        HttpResponse<String> login = bob.login("bob", PASSWORD);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(AccessControl.SESSION_COOKIE + "=").containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax", "Path=/").doesNotContain("Secure");
        assertThat(json(login).getString("user")).isEqualTo("bob");
        assertThat(json(login).getBoolean("admin")).isFalse();
        assertThat(bob.csrf).hasSizeGreaterThan(40);
        assertThat(json(bob.get("/api/runs")).getJsonArray("runs")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(bob.get("/api/runs/carols").statusCode()).as("everyone reads every run").isEqualTo(200);
        assertThat(bob.get("/run.html?id=carols").statusCode()).isEqualTo(200);
        assertThat(json(bob.get("/api/me")).getString("csrfToken")).isEqualTo(bob.csrf);
        assertThat(json(bob.get("/api/me")).getBoolean("team")).isTrue();

        TeamClient overTls = new TeamClient(port).header("X-Forwarded-Proto", "https");
        assertThat(overTls.login("bob", PASSWORD).headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
    }

    @Test
    void aSessionsChangeWithoutItsCsrfTokenIs403() throws Exception {
        TeamClient bob = as("bob");
        bob.sendCsrf = false;
        refused(bob.send("PUT", "/api/runs/bobs/name", "{\"name\": \"x\"}"), 403, "X-CSRF-Token");
        refused(bob.send("POST", "/api/runs", "{}"), 403, "X-CSRF-Token");
        bob.header(AccessControl.CSRF_HEADER, "not-the-token");
        refused(bob.send("PUT", "/api/runs/bobs/name", "{\"name\": \"x\"}"), 403, "X-CSRF-Token");
        bob.header(AccessControl.CSRF_HEADER, null);
        bob.sendCsrf = true;
        assertThat(bob.send("PUT", "/api/runs/bobs/name", "{\"name\": \"bob's baseline\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aChangeFromAPageOfAnotherSiteIs403EvenWithTheToken() throws Exception {
        TeamClient bob = as("bob").header("Origin", "http://evil.example:" + port);
        refused(bob.send("PUT", "/api/runs/bobs/name", "{\"name\": \"x\"}"), 403, "another site");
        bob.header("Origin", "null");
        refused(bob.send("DELETE", "/api/runs/bobs", null), 403, "another site");
        bob.header("Origin", bob.origin());
        assertThat(bob.send("PUT", "/api/runs/bobs/name", "{\"name\": \"same site\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void theLiveStreamNeedsASessionAndThisSitesOrigin() throws Exception {
        assertThat(new TeamClient(port).stream()).startsWith("401 ").contains("log in first");
        TeamClient bob = as("bob");
        assertThat(bob.stream()).startsWith("200 text/event-stream");
        bob.header("Origin", "http://evil.example");
        assertThat(bob.stream()).startsWith("403 ").contains("another site");
        bob.header("Origin", bob.origin());
        assertThat(bob.stream()).startsWith("200 text/event-stream");
    }

    @Test
    void aPersonalApiTokenStandsForItsUserWithoutACsrfToken() throws Exception {
        String token = users.newToken("bob", "script");
        TeamClient script = new TeamClient(port).bearer(token);
        assertThat(script.get("/api/runs").statusCode()).isEqualTo(200);
        assertThat(json(script.get("/api/me")).getString("user")).isEqualTo("bob");
        assertThat(json(script.get("/api/me")).getString("via")).isEqualTo("token");
        assertThat(script.stream()).startsWith("200 text/event-stream");
        assertThat(script.send("PUT", "/api/runs/bobs/name", "{\"name\": \"renamed by a script\"}").statusCode()).isEqualTo(200);
        refused(script.send("PUT", "/api/runs/carol-keeps/name", "{\"name\": \"x\"}"), 403, "only the owner");

        refused(new TeamClient(port).bearer(token + "x").get("/api/runs"), 401, "unknown or revoked API token");
        refused(new TeamClient(port).bearer("wb_guess").get("/api/runs"), 401, "unknown or revoked API token");
        refused(new TeamClient(port).header("Authorization", "Basic Ym9iOnB3").get("/api/runs"), 401, "Bearer TOKEN");
        users.revokeTokens("bob");
        refused(script.get("/api/runs"), 401, "unknown or revoked API token");
    }

    @Test
    void onlyARunsOwnerOrAnAdminRenamesOrDeletesIt() throws Exception {
        TeamClient bob = as("bob");
        HttpResponse<String> notHis = bob.send("PUT", "/api/runs/carols/name", "{\"name\": \"mine now\"}");
        refused(notHis, 403, "only the owner of run 'carols' (carol) or an admin may change it; you are bob");
        refused(bob.send("DELETE", "/api/runs/carols", null), 403, "only the owner of run 'carols'");
        refused(bob.send("PATCH", "/api/runs/carols", "{\"notes\": \"x\"}"), 403, "only the owner");
        refused(bob.send("POST", "/api/runs/carols/tags", "{\"tags\": [\"x\"]}"), 403, "only the owner");
        refused(bob.send("DELETE", "/api/runs/orphan", null), 403, "nobody recorded");
        refused(bob.send("PUT", "/api/runs/no-such/name", "{\"name\": \"x\"}"), 404, "no run with id 'no-such'");
        assertThat(new RunQueries(stack.db).run("carols").orElseThrow().name()).isEqualTo("run carols");

        TeamClient alice = as("alice");
        HttpResponse<String> renamed = alice.send("PUT", "/api/runs/carols/name", "{\"name\": \"renamed by an admin\"}");
        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(json(renamed).getString("name")).isEqualTo("renamed by an admin");
        assertThat(json(renamed).getString("user")).as("the owner stays").isEqualTo("carol");
        assertThat(alice.send("DELETE", "/api/runs/orphan", null).statusCode()).isEqualTo(200);

        refused(bob.send("DELETE", "/api/runs/bob-running", null), 409, "still running");
        TeamClient carol = as("carol");
        HttpResponse<String> deleted = carol.send("DELETE", "/api/runs/carols", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).getString("deleted")).isEqualTo("carols");
        assertThat(carol.get("/api/runs/carols").statusCode()).isEqualTo(404);
    }

    @Test
    void aRunStartedFromTheApiIsRecordedAsItsCaller() throws Exception {
        TeamClient dave = as("dave");
        HttpResponse<String> started = dave.send("POST", "/api/runs", "{\"name\": \"from-the-browser\", \"optimizer\":"
                + " {\"type\": \"adam\"}, \"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 10}]}, \"train\": {\"epochs\": 1}}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json(started).getString("id");
        assertThat(json(dave.get("/api/runs/" + id)).getString("user")).isEqualTo("dave");
        assertThat(dave.send("PUT", "/api/runs/" + id + "/name", "{\"name\": \"dave's\"}").statusCode())
                .as("the caller owns the run it started").isEqualTo(200);
    }

    @Test
    void loggingOutEndsTheSession() throws Exception {
        TeamClient erin = as("erin");
        assertThat(erin.get("/api/runs").statusCode()).isEqualTo(200);
        HttpResponse<String> out = erin.send("POST", "/api/logout", null);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        refused(erin.get("/api/runs"), 401, "log in first");
        assertThat(erin.get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void theIngestRouteKeepsItsServerTokenAndTakesNoUserCredentials() throws Exception {
        String ingestToken = "0123456789abcdef0123456789abcdef";
        WebServer withIngest = new WebServer(new RunStore(new RunQueries(stack.db)), "127.0.0.1", 0, ingestToken)
                .withTeamMode(users);
        TestStack.await(stack.vertx.deployVerticle(withIngest));
        TeamClient bob = as("bob");
        TeamClient process = new TeamClient(withIngest.port());
        refused(process.send("POST", "/api/ingest", "[]"), 401, "X-Workbench-Token");
        String token = users.newToken("bob", null);
        refused(process.bearer(token).send("POST", "/api/ingest", "[]"), 401, "X-Workbench-Token");
        TeamClient session = new TeamClient(withIngest.port());
        session.cookie = bob.cookie;
        session.csrf = bob.csrf;
        refused(session.send("POST", "/api/ingest", "[]"), 401, "X-Workbench-Token");
        HttpResponse<String> ok = new TeamClient(withIngest.port()).header(IngestHandler.TOKEN_HEADER, ingestToken)
                .send("POST", "/api/ingest", "[]");
        assertThat(ok.statusCode()).as("a run of another process needs no login").isEqualTo(200);
        refused(new TeamClient(withIngest.port()).get("/api/runs"), 401, "log in first");
    }

    @Test
    void repeatedFailedLoginsAreRefusedFor429EvenWithTheRightPassword() throws Exception {
        users.add("guessed", PASSWORD.toCharArray(), false);
        TeamClient client = new TeamClient(port);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME; i++) {
            refused(client.login("guessed", "guess " + i), 401, "wrong user name or password");
        }
        HttpResponse<String> blocked = client.login("guessed", PASSWORD);
        refused(blocked, 429, "too many failed logins");
        assertThat(blocked.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(client.cookie).isNull();
        assertThat(as("bob").get("/api/runs").statusCode()).as("other names are not blocked").isEqualTo(200);
    }
}
