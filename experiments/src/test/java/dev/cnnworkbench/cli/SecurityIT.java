package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * The security regression suite, from outside: two real {@code workbench serve} processes started once for the
 * class, real HTTP(S) requests (raw sockets where a client would tidy the request), the real {@code user} command.
 * <ul>
 *   <li>a single-user server (plain HTTP, embedded database): DNS rebinding (foreign Host), artifacts that are not
 *   what was indexed (a hard link to {@code server.json}, a symbolic link, changed content), traversal variants on
 *   pages, webjars and artifacts, body limits, JSON nesting, foreign Origin, ingest without its token;</li>
 *   <li>a team-mode server ({@code --auth} over TLS with a certificate made here, a team database server, an extra
 *   {@code --allow-host}): HTTPS and Secure cookies, allowed and foreign Host, the login throttle and
 *   X-Forwarded-For, owner checks, and sessions that outlive a restart but not a password change or a revoke.</li>
 * </ul>
 * No training: the runs are seeded into the databases before the servers start.
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
    static Path soloHome;
    static Path teamHome;
    static SelfSignedPem pem;
    static TeamDatabaseServer teamDb;
    static Served solo;
    static Served team;
    static HttpClient http;
    static HttpClient https;
    static String ingestToken;
    static String aliceToken;

    @BeforeAll
    static void start() throws Exception {
        pem = SelfSignedPem.create(Files.createDirectories(dir.resolve("tls")));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        https = HttpClient.newBuilder().sslContext(pem.trusting()).connectTimeout(Duration.ofSeconds(30)).build();
        soloHome = Files.createDirectories(dir.resolve("solo"));
        try (Database db = Database.openEmbedded(soloHome)) {
            RunWriter writer = new RunWriter(db);
            writer.insertRun(run("solo00000001", "me"));
            artifact(writer, "solo00000001/good.txt", "hello, artifact");
            artifact(writer, "solo00000001/linked.txt", "a model, once");
            artifact(writer, "solo00000001/symlinked.txt", "a picture, once");
            artifact(writer, "solo00000001/changed.txt", "same size: AAAA");
        }
        teamHome = Files.createDirectories(dir.resolve("team"));
        teamDb = TeamDatabaseServer.start(Files.createDirectories(dir.resolve("teamdb")), "127.0.0.1", 0, "sa", DB_PASSWORD);
        try (Database db = Database.open(teamDb.clientUrl(), "sa", DB_PASSWORD)) {
            UserAccounts users = new UserAccounts(db, new PasswordHashes(1_000));
            for (String name : List.of("alice", "bob", "dave")) {
                users.add(name, (name + "'s password").toCharArray(), false);
            }
            aliceToken = users.newToken("alice", "test");
            new RunWriter(db).insertRun(run("bob000000001", "bob"));
        }
        Process soloProcess = workbench(dir.resolve("solo.log"), Map.of(), "serve", "--home", soloHome.toString(),
                "--port", "0", "--web-runs", "0");
        Process teamProcess = startTeam(dir.resolve("team.log"));
        solo = awaitStarted(soloProcess, dir.resolve("solo.log"));
        team = awaitStarted(teamProcess, dir.resolve("team.log"));
        ingestToken = new JsonObject(Files.readString(soloHome.resolve("server.json"))).getString("token");
        Path serverJson = soloHome.resolve("server.json");
        Path linked = soloHome.resolve("artifacts/solo00000001/linked.txt");
        Files.delete(linked);
        Files.createLink(linked, serverJson);
        Path symlinked = soloHome.resolve("artifacts/solo00000001/symlinked.txt");
        Files.delete(symlinked);
        Files.createSymbolicLink(symlinked, serverJson);
        Files.writeString(soloHome.resolve("artifacts/solo00000001/changed.txt"), "same size: BBBB");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Served s : new Served[] {solo, team}) {
            if (s != null) {
                s.process().destroy();
                s.process().waitFor();
            }
        }
        if (teamDb != null) {
            teamDb.close();
        }
    }

    // ---- single-user server ----

    @Test
    void aForeignHostIsRefusedEvenWithAMatchingOrigin() throws Exception {
        String evil = "evil.example:" + solo.port();
        String read = raw(solo, false, "GET /api/runs HTTP/1.1\r\nHost: " + evil + "\r\nOrigin: http://" + evil + "\r\n");
        assertThat(status(read)).isEqualTo(421);
        assertThat(read).doesNotContain("solo00000001").contains("--allow-host evil.example");
        String write = raw(solo, false, "POST /api/runs/solo00000001/tags HTTP/1.1\r\nHost: " + evil + "\r\nOrigin: http://"
                + evil + "\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"tags\": [\"pwn\"]}");
        assertThat(status(write)).isEqualTo(421);
        for (String host : List.of("127.0.0.1", "localhost", "[::1]", "LOCALHOST")) {
            String ok = raw(solo, false, "GET /api/runs HTTP/1.1\r\nHost: " + host + ":" + solo.port() + "\r\n");
            assertThat(status(ok)).as(host).isEqualTo(200);
            assertThat(ok).contains("solo00000001");
        }
        assertThat(http.send(HttpRequest.newBuilder(URI.create(solo.url("/api/runs/solo00000001"))).build(),
                HttpResponse.BodyHandlers.ofString()).body()).doesNotContain("\"pwn\"");
    }

    @Test
    void onlyArtifactFilesStillAsIndexedAreServed() throws Exception {
        Map<String, Long> ids = artifactIds();
        HttpResponse<String> good = get(http, solo.url("/api/artifacts/" + ids.get("good.txt")));
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.body()).isEqualTo("hello, artifact");
        for (String name : List.of("linked.txt", "symlinked.txt", "changed.txt")) {
            HttpResponse<String> r = get(http, solo.url("/api/artifacts/" + ids.get(name)));
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
        String response = raw(solo, false, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        assertThat(status(response)).as(path).isIn(400, 403, 404);
        assertThat(response).as(path).doesNotContain(ingestToken, "root:x:", "Manifest-Version", "\tat ", "Exception");
    }

    @Test
    void bodiesOverTheLimitsAreRefused() throws Exception {
        HttpResponse<String> api = send(http, solo.url("/api/runs/solo00000001/tags"), "POST", "application/json",
                "{\"tags\": [\"" + "x".repeat(70 * 1024) + "\"]}", Map.of());
        assertThat(api.statusCode()).isEqualTo(413);
        assertThat(api.body()).contains("65536 bytes");
        HttpResponse<String> ingest = send(http, solo.url("/api/ingest"), "POST", "application/json",
                "[" + " ".repeat(9 * 1024 * 1024) + "]", Map.of("X-Workbench-Token", ingestToken));
        assertThat(ingest.statusCode()).isEqualTo(413);
        assertThat(ingest.body()).contains("8388608 bytes");
    }

    @Test
    void deeplyNestedJsonIsAClean400AndTheServerLives() throws Exception {
        HttpResponse<String> r = send(http, solo.url("/api/runs/solo00000001/tags"), "POST", "application/json",
                "[".repeat(30_000) + "]".repeat(30_000), Map.of());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("\tat ", "Exception");
        assertThat(get(http, solo.url("/api/runs")).statusCode()).isEqualTo(200);
    }

    @Test
    void aPageOfAnotherSiteCanNeitherChangeNorListen() throws Exception {
        HttpResponse<String> r = send(http, solo.url("/api/runs/solo00000001/tags"), "POST", "application/json",
                "{\"tags\": [\"csrf\"]}", Map.of("Origin", "http://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        String stream = raw(solo, false, "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + solo.port()
                + "\r\nOrigin: http://evil.example\r\n");
        assertThat(status(stream)).isEqualTo(403);
        HttpResponse<String> same = send(http, solo.url("/api/runs/solo00000001/tags"), "POST", "application/json",
                "{\"tags\": [\"fine\"]}", Map.of("Origin", solo.url("")));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    }

    @Test
    void ingestNeedsItsToken() throws Exception {
        assertThat(send(http, solo.url("/api/ingest"), "POST", "application/json", "[]", Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(send(http, solo.url("/api/ingest"), "POST", "application/json", "[]",
                Map.of("X-Workbench-Token", "x".repeat(43))).statusCode()).isEqualTo(401);
    }

    // ---- team-mode server over TLS ----

    @Test
    @Order(1)
    void teamModeSpeaksTlsWithSecureCookiesAndAnswersItsAllowedNames() throws Exception {
        HttpResponse<String> me = send(https, team.url("/api/me"), "GET", null, null,
                Map.of("Authorization", "Bearer " + aliceToken));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(me.body()).getString("user")).isEqualTo("alice");
        assertThatThrownBy(() -> get(http, "http://127.0.0.1:" + team.port() + "/api/me")).isInstanceOf(IOException.class);
        HttpResponse<String> login = login("dave", "dave's password", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure", "HttpOnly");
        String allowed = raw(team, true, "GET /api/runs HTTP/1.1\r\nHost: dash.example:" + team.port() + "\r\n");
        assertThat(status(allowed)).as("an --allow-host name reaches the login check").isEqualTo(401);
        String foreign = raw(team, true, "GET /api/runs HTTP/1.1\r\nHost: evil.example:" + team.port() + "\r\n");
        assertThat(status(foreign)).isEqualTo(421);
    }

    @Test
    @Order(2)
    void theLoginThrottleIsNotFooledByForwardedForHeaders() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login("bob", "wrong password " + i, "203.0.113." + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = login("bob", "bob's password", "198.51.100.7");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    @Order(3)
    void onlyTheOwnerOrAnAdminChangesARun() throws Exception {
        Map<String, String> alice = Map.of("Authorization", "Bearer " + aliceToken);
        assertThat(send(https, team.url("/api/runs/bob000000001"), "GET", null, null, alice).statusCode()).isEqualTo(200);
        assertThat(send(https, team.url("/api/runs/bob000000001/name"), "PUT", "application/json", "{\"name\": \"mine\"}",
                alice).statusCode()).isEqualTo(403);
        assertThat(send(https, team.url("/api/runs/bob000000001"), "DELETE", null, null, alice).statusCode()).isEqualTo(403);
        assertThat(send(https, team.url("/api/runs/bob000000001"), "GET", null, null, alice).body()).doesNotContain("mine");
    }

    @Test
    @Order(4)
    void sessionsOutliveARestartButNotAPasswordChangeOrARevoke() throws Exception {
        String dave = cookie(login("dave", "dave's password", null));
        String alice = cookie(login("alice", "alice's password", null));
        assertThat(me(dave)).isEqualTo(200);

        team.process().destroy();
        team.process().waitFor();
        team = awaitStarted(startTeam(dir.resolve("team-2.log")), dir.resolve("team-2.log"));
        assertThat(me(dave)).as("still logged in after a restart").isEqualTo(200);
        assertThat(me(alice)).isEqualTo(200);

        assertThat(cli("user", "password", "dave", "--password-file", Files.writeString(dir.resolve("pw"),
                "dave's new password\n").toString()).exitValue()).isZero();
        assertThat(me(dave)).as("a password change ends the sessions").isEqualTo(401);
        assertThat(cli("user", "revoke", "alice").exitValue()).isZero();
        assertThat(me(alice)).as("a revoke ends the sessions").isEqualTo(401);
        assertThat(send(https, team.url("/api/me"), "GET", null, null, Map.of("Authorization", "Bearer " + aliceToken))
                .statusCode()).as("and the tokens").isEqualTo(401);
    }

    // ---- helpers ----

    private static RunStarted run(String id, String user) {
        return new RunStarted(id, "seeded", "security", "{}", Map.of(), Map.of(), System.currentTimeMillis(), 1,
                "elsewhere", user);
    }

    private static void artifact(RunWriter writer, String path, String content) throws Exception {
        Path file = soloHome.resolve("artifacts").resolve(path);
        Files.createDirectories(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        writer.putArtifact(new RunArtifact("solo00000001", "file", path.substring(path.indexOf('/') + 1), path,
                bytes.length, sha, "text/plain", 0, 0, System.currentTimeMillis()));
    }

    /** Artifact ids of the seeded run by file name, as the run's page lists them. */
    private static Map<String, Long> artifactIds() throws Exception {
        JsonObject run = new JsonObject(get(http, solo.url("/api/runs/solo00000001")).body());
        Map<String, Long> ids = new java.util.HashMap<>();
        run.getJsonArray("artifacts").forEach(a -> ids.put(((JsonObject) a).getString("name"),
                ((JsonObject) a).getLong("id")));
        return ids;
    }

    private static Process startTeam(Path log) throws IOException {
        return workbench(log, Map.of("WORKBENCH_DB_PASSWORD", DB_PASSWORD), "serve", "--home", teamHome.toString(),
                "--db", teamDb.clientUrl(), "--auth", "--port", "0", "--web-runs", "0", "--tls-cert",
                pem.cert().toString(), "--tls-key", pem.key().toString(), "--allow-host", "dash.example");
    }

    /** {@code workbench user ...} on the team database, in a JVM of its own; waits for it. */
    private static Process cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", teamHome.toString(), "--db", teamDb.clientUrl()));
        Path log = Files.createTempFile(dir, "cli", ".log");
        Process p = workbench(log, Map.of("WORKBENCH_DB_PASSWORD", DB_PASSWORD), all.toArray(String[]::new));
        p.waitFor();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return p;
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
    private static String raw(Served server, boolean tls, String request) throws Exception {
        String text = request.contains("\r\n\r\n") ? request.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                : request + "Connection: close\r\n\r\n";
        SSLContext context = pem.trusting();
        try (Socket socket = tls ? context.getSocketFactory().createSocket("127.0.0.1", server.port())
                : new Socket("127.0.0.1", server.port())) {
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
