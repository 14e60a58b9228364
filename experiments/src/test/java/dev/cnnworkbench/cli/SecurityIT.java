package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.cli.home.ServerFile;
import dev.cnnworkbench.cli.home.TeamDatabaseServer;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.UserAccounts;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security regression suite, from outside: one real {@code workbench serve --auth} process over TLS (a
 * certificate made here, a team database server, an extra {@code --allow-host}), started once for the class, real
 * HTTPS requests (raw TLS sockets where a client would tidy the request), account changes made on the team database
 * as {@code workbench user} makes them (its wiring is {@code UserCommandTest}'s). It checks
 * HTTPS and Secure cookies; allowed and foreign Host names (DNS rebinding: a foreign Host is refused even with a
 * matching Origin and a valid token); artifacts that are no longer what was indexed (a hard link to
 * {@code server.json}, a symbolic link, changed content); traversal variants on pages, webjars and artifacts; body
 * limits; JSON nesting; foreign Origin; ingest without its token; the login throttle and X-Forwarded-For; owner checks;
 * and, last, sessions that outlive a restart but not a password change or a revoke (nor do revoked tokens).
 * No training: the runs are seeded into the database before the server starts. The single-user server's Host check
 * is the same handler ({@code HostCheckTest} in web-ui shows it there).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String DB_PASSWORD = "team-db-secret";
    private static final Pattern DASHBOARD = Pattern.compile("Dashboard: (https?)://127\\.0\\.0\\.1:(\\d+)/");

    /** One {@code serve} process and where it answers. */
    record Served(Process process, Path log, String scheme, int port) {
        String url(String path) {
            return scheme + "://127.0.0.1:" + port + path;
        }
    }

    @TempDir
    static Path dir;
    static Path home;
    static SelfSignedPem pem;
    static TeamDatabaseServer teamDb;
    static Served team;
    static HttpClient http;
    static HttpClient https;
    static String ingestToken;
    static String aliceToken;
    static Map<String, String> asAlice;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(Files.createDirectories(dir.resolve("tls")));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        https = HttpClient.newBuilder().sslContext(pem.trusting()).connectTimeout(Duration.ofSeconds(30)).build();
        home = Files.createDirectories(dir.resolve("home"));
        teamDb = TeamDatabaseServer.start(Files.createDirectories(dir.resolve("teamdb")), "127.0.0.1", 0, "sa", DB_PASSWORD);
        try (Database db = Database.open(teamDb.clientUrl(), "sa", DB_PASSWORD)) {
            UserAccounts users = new UserAccounts(db, new PasswordHashes(1_000));
            for (String name : List.of("alice", "bob", "dave")) {
                users.add(name, (name + "'s password").toCharArray(), false);
            }
            aliceToken = users.newToken("alice", "test");
            asAlice = Map.of("Authorization", "Bearer " + aliceToken);
            RunWriter writer = new RunWriter(db);
            writer.insertRun(run("bob000000001", "bob"));
            writer.insertRun(run("alice0000001", "alice"));
            artifact(writer, "alice0000001/good.txt", "hello, artifact");
            artifact(writer, "alice0000001/linked.txt", "a model, once");
            artifact(writer, "alice0000001/symlinked.txt", "a picture, once");
            artifact(writer, "alice0000001/changed.txt", "same size: AAAA");
        }
        team = awaitStarted(startTeam(dir.resolve("team.log")), dir.resolve("team.log"));
        Path serverJson = home.resolve("server.json");
        ingestToken = new JsonObject(Files.readString(serverJson)).getString("token");
        Path linked = home.resolve("artifacts/alice0000001/linked.txt");
        Files.delete(linked);
        Files.createLink(linked, serverJson);
        Path symlinked = home.resolve("artifacts/alice0000001/symlinked.txt");
        Files.delete(symlinked);
        Files.createSymbolicLink(symlinked, serverJson);
        Files.writeString(home.resolve("artifacts/alice0000001/changed.txt"), "same size: BBBB");
    }

    @AfterAll
    static void stop() throws Exception {
        if (team != null) {
            team.process().destroy();
            team.process().waitFor();
        }
        if (teamDb != null) {
            teamDb.close();
        }
    }

    @Test
    @Order(1)
    void speaksTlsWithSecureCookies() throws Exception {
        HttpResponse<String> me = send(https, team.url("/api/me"), "GET", null, null, asAlice);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(me.body()).getString("user")).isEqualTo("alice");
        assertThatThrownBy(() -> get(http, "http://127.0.0.1:" + team.port() + "/api/me")).isInstanceOf(IOException.class);
        HttpResponse<String> login = login("dave", "dave's password", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure").containsIgnoringCase("HttpOnly");
        ServerFile file = ServerFile.read(home);
        assertThat(file.url()).startsWith("https://127.0.0.1:");
        assertThat(file.answers(Duration.ofSeconds(30))).as("a run of this home trusts the server's own certificate")
                .isTrue();
    }

    @Test
    void aForeignHostIsRefusedEvenWithAMatchingOriginAndAToken() throws Exception {
        String auth = "Authorization: Bearer " + aliceToken + "\r\n";
        String evil = "evil.example:" + team.port();
        String read = raw("GET /api/runs HTTP/1.1\r\nHost: " + evil + "\r\nOrigin: https://" + evil + "\r\n" + auth);
        assertThat(status(read)).isEqualTo(421);
        assertThat(read).doesNotContain("alice0000001").contains("--allow-host evil.example");
        String write = raw("POST /api/runs/alice0000001/tags HTTP/1.1\r\nHost: " + evil + "\r\nOrigin: https://" + evil
                + "\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"tags\": [\"pwn\"]}");
        assertThat(status(write)).isEqualTo(421);
        for (String host : List.of("127.0.0.1", "localhost", "[::1]", "LOCALHOST", "dash.example")) {
            String ok = raw("GET /api/runs HTTP/1.1\r\nHost: " + host + ":" + team.port() + "\r\n" + auth);
            assertThat(status(ok)).as(host).isEqualTo(200);
            assertThat(ok).contains("alice0000001");
        }
        assertThat(send(https, team.url("/api/runs/alice0000001"), "GET", null, null, asAlice).body())
                .doesNotContain("\"pwn\"");
    }

    @Test
    void onlyArtifactFilesStillAsIndexedAreServed() throws Exception {
        Map<String, Long> ids = artifactIds();
        HttpResponse<String> good = send(https, team.url("/api/artifacts/" + ids.get("good.txt")), "GET", null, null, asAlice);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.body()).isEqualTo("hello, artifact");
        for (String name : List.of("linked.txt", "symlinked.txt", "changed.txt")) {
            HttpResponse<String> r = send(https, team.url("/api/artifacts/" + ids.get(name)), "GET", null, null, asAlice);
            assertThat(r.statusCode()).as(name).isIn(403, 404);
            assertThat(r.body()).as(name).doesNotContain(ingestToken, "same size: BBBB");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../server.json", "/js/../../server.json", "/%2e%2e/server.json", "/%2E%2E/%2E%2E/etc/passwd",
        "/js/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2fserver.json", "/..%2fserver.json", "/..%5cserver.json",
        "/js/..%5c..%5cserver.json", "/%5c..%5cserver.json", "/%252e%252e/server.json", "/%252e%252e%252fetc%252fpasswd",
        "/..%252fserver.json", "/%c0%ae%c0%ae/server.json", "/%c0%ae%c0%ae%c0%afetc%c0%afpasswd", "/.%2e/server.json",
        "//etc/passwd", "/index.html%00.js", "/%00/../server.json", "/js/runs.js%00", "/.%00./server.json",
        "/webjars/uplot/../../../../etc/passwd", "/webjars/uplot/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/webjars/..%5c..%5c..%5cetc%5cpasswd", "/webjars/uplot/%252e%252e/%252e%252e/META-INF/MANIFEST.MF",
        "/webjars/uplot/..%2f..%2f..%2fMANIFEST.MF", "/webjars/uplot/%c0%ae%c0%ae/%c0%ae%c0%ae/META-INF/MANIFEST.MF",
        "/webjars/uplot/dist/uPlot.esm.js%00.css", "/webjars/%2e%2e/META-INF/MANIFEST.MF", "/webjars/uplot/.%2e/pom.xml",
        "/api/artifacts/../../server.json", "/api/artifacts/%2e%2e%2f%2e%2e%2fserver.json", "/api/artifacts/1%00",
        "/api/artifacts/..%5c..%5cserver.json", "/api/artifacts/%252e%252e%252fserver.json", "/api/artifacts/-1",
        "/api/artifacts/1e3", "/api/artifacts/%c0%ae%c0%ae%c0%afserver.json", "/api/artifacts/99999999999999999999",
        "/api/artifacts/1/../../../server.json", "/api/artifacts/%31%00",
    })
    void traversalReachesNothingOutsideTheServedFiles(String path) throws Exception {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + aliceToken
                + "\r\n");
        assertThat(status(response)).as(path).isIn(400, 403, 404);
        assertThat(response).as(path).doesNotContain(ingestToken, "root:x:", "Manifest-Version", "\tat ", "Exception");
    }

    @Test
    void bodiesOverTheLimitsAreRefused() throws Exception {
        HttpResponse<String> api = send(https, team.url("/api/runs/alice0000001/tags"), "POST", "application/json",
                "{\"tags\": [\"" + "x".repeat(70 * 1024) + "\"]}", asAlice);
        assertThat(api.statusCode()).isEqualTo(413);
        assertThat(api.body()).contains("65536 bytes");
        HttpResponse<String> ingest = send(https, team.url("/api/ingest"), "POST", "application/json",
                "[" + " ".repeat(9 * 1024 * 1024) + "]", Map.of("X-Workbench-Token", ingestToken));
        assertThat(ingest.statusCode()).isEqualTo(413);
        assertThat(ingest.body()).contains("8388608 bytes");
    }

    @Test
    void deeplyNestedJsonIsAClean400AndTheServerLives() throws Exception {
        HttpResponse<String> r = send(https, team.url("/api/runs/alice0000001/tags"), "POST", "application/json",
                "[".repeat(30_000) + "]".repeat(30_000), asAlice);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("\tat ", "Exception");
        assertThat(send(https, team.url("/api/runs"), "GET", null, null, asAlice).statusCode()).isEqualTo(200);
    }

    @Test
    void aPageOfAnotherSiteCanNeitherChangeNorListen() throws Exception {
        Map<String, String> foreign = Map.of("Authorization", "Bearer " + aliceToken, "Origin", "https://evil.example");
        HttpResponse<String> r = send(https, team.url("/api/runs/alice0000001/tags"), "POST", "application/json",
                "{\"tags\": [\"csrf\"]}", foreign);
        assertThat(r.statusCode()).isEqualTo(403);
        String stream = raw("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + team.port()
                + "\r\nOrigin: https://evil.example\r\nAuthorization: Bearer " + aliceToken + "\r\n");
        assertThat(status(stream)).isEqualTo(403);
        HttpResponse<String> same = send(https, team.url("/api/runs/alice0000001/tags"), "POST", "application/json",
                "{\"tags\": [\"fine\"]}", Map.of("Authorization", "Bearer " + aliceToken, "Origin",
                        "https://127.0.0.1:" + team.port()));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    }

    @Test
    void ingestNeedsItsToken() throws Exception {
        assertThat(send(https, team.url("/api/ingest"), "POST", "application/json", "[]", Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(send(https, team.url("/api/ingest"), "POST", "application/json", "[]",
                Map.of("X-Workbench-Token", "x".repeat(43))).statusCode()).isEqualTo(401);
    }

    @Test
    void theLoginThrottleIsNotFooledByForwardedForHeaders() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login("bob", "wrong password " + i, "203.0.113." + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = login("bob", "bob's password", "198.51.100.7");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void onlyTheOwnerOrAnAdminChangesARun() throws Exception {
        assertThat(send(https, team.url("/api/runs/bob000000001"), "GET", null, null, asAlice).statusCode()).isEqualTo(200);
        assertThat(send(https, team.url("/api/runs/bob000000001/name"), "PUT", "application/json", "{\"name\": \"mine\"}",
                asAlice).statusCode()).isEqualTo(403);
        assertThat(send(https, team.url("/api/runs/bob000000001/tags"), "POST", "application/json", "{\"tags\": [\"x\"]}",
                asAlice).statusCode()).isEqualTo(403);
        assertThat(send(https, team.url("/api/runs/bob000000001"), "DELETE", null, null, asAlice).statusCode()).isEqualTo(403);
        assertThat(send(https, team.url("/api/runs/bob000000001"), "GET", null, null, asAlice).body()).doesNotContain("mine");
    }

    /** Last: it restarts the server, changes a password and revokes alice, as {@code workbench user} does. */
    @Test
    @Order(Integer.MAX_VALUE)
    void sessionsOutliveARestartButNotAPasswordChangeOrARevoke() throws Exception {
        String dave = cookie(login("dave", "dave's password", null));
        String alice = cookie(login("alice", "alice's password", null));
        assertThat(me(dave)).isEqualTo(200);

        team.process().destroy();
        team.process().waitFor();
        team = awaitStarted(startTeam(dir.resolve("team-2.log")), dir.resolve("team-2.log"));
        assertThat(me(dave)).as("still logged in after a restart").isEqualTo(200);
        assertThat(me(alice)).isEqualTo(200);

        try (Database db = Database.open(teamDb.clientUrl(), "sa", DB_PASSWORD)) {
            UserAccounts users = new UserAccounts(db, new PasswordHashes(1_000));
            users.setPassword("dave", "dave's new password".toCharArray());
            assertThat(me(dave)).as("a password change ends the sessions").isEqualTo(401);
            users.revokeTokens("alice");
            assertThat(me(alice)).as("a revoke ends the sessions").isEqualTo(401);
        }
        assertThat(send(https, team.url("/api/me"), "GET", null, null, Map.of("Authorization", "Bearer " + aliceToken))
                .statusCode()).as("and the tokens").isEqualTo(401);
    }

    // ---- helpers ----

    private static RunStarted run(String id, String user) {
        return new RunStarted(id, "seeded", "security", "{}", Map.of(), Map.of(), System.currentTimeMillis(), 1,
                "elsewhere", user);
    }

    private static void artifact(RunWriter writer, String path, String content) throws Exception {
        Path file = home.resolve("artifacts").resolve(path);
        Files.createDirectories(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        writer.putArtifact(new RunArtifact(path.substring(0, path.indexOf('/')), "file", path.substring(path.indexOf('/') + 1), path,
                bytes.length, sha, "text/plain", 0, 0, System.currentTimeMillis()));
    }

    /** Artifact ids of alice's seeded run by file name, as the run's page lists them. */
    private static Map<String, Long> artifactIds() throws Exception {
        JsonObject run = new JsonObject(send(https, team.url("/api/runs/alice0000001"), "GET", null, null, asAlice).body());
        Map<String, Long> ids = new java.util.HashMap<>();
        run.getJsonArray("artifacts").forEach(a -> ids.put(((JsonObject) a).getString("name"),
                ((JsonObject) a).getLong("id")));
        return ids;
    }

    private static Process startTeam(Path log) throws IOException {
        return workbench(log, Map.of("WORKBENCH_DB_PASSWORD", DB_PASSWORD), "serve", "--home", home.toString(),
                "--db", teamDb.clientUrl(), "--auth", "--port", "0", "--web-runs", "0", "--tls-cert",
                pem.cert().toString(), "--tls-key", pem.key().toString(), "--allow-host", "dash.example");
    }

    /** {@code workbench ARGS} in a JVM of its own, on this test's classpath; output to {@code log}. */
    private static Process workbench(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        String extension = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        if (extension != null) {
            command.add("-D" + NativeBackend.PLATFORM_EXTENSION + "=" + extension);
        }
        command.add(Workbench.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Served awaitStarted(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = DASHBOARD.matcher(text);
            if (m.find()) {
                return new Served(process, log, m.group(1), Integer.parseInt(m.group(2)));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("serve exited " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("serve did not start within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static HttpResponse<String> login(String name, String password, String forwardedFor) throws Exception {
        Map<String, String> headers = forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor);
        return send(https, team.url("/api/login"), "POST", "application/json",
                new JsonObject().put("name", name).put("password", password).encode(), headers);
    }

    private static String cookie(HttpResponse<String> login) {
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static int me(String cookie) throws Exception {
        return send(https, team.url("/api/me"), "GET", null, null, Map.of("Cookie", cookie)).statusCode();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return send(client, url, "GET", null, null, Map.of());
    }

    private static HttpResponse<String> send(HttpClient client, String url, String method, String type, String body,
                                             Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code head} (request line and headers, and any body after a blank line) byte for byte; the whole reply. */
    private static String raw(String request) throws Exception {
        String text = request.contains("\r\n\r\n") ? request.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                : request + "Connection: close\r\n\r\n";
        SSLContext context = pem.trusting();
        try (Socket socket = context.getSocketFactory().createSocket("127.0.0.1", team.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    private static int status(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }
}
