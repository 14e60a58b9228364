package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.storage.ArtifactChunks;
import dev.cnnworkbench.storage.ArtifactUploads;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Random;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/artifacts/ID} over a team database (a real H2 TCP server): a file another member's process stored
 * there is streamed from the database, whole and unchanged, to a server whose own artifacts folder is empty; a stored
 * copy that is not the indexed content is refused (403 when found at once, a cut connection when found at the end).
 */
class StoredArtifactApiTest {

    @TempDir
    Path dir;
    Server h2;
    Database db;
    Vertx vertx;
    WebServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
        db = Database.open("jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/team", "sa", "");
        new RunWriter(db).insertRun(new RunStarted("runA", "a", "team", "{}", Map.of(), Map.of(), 0, 1, "machine-a", "alice"));
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        server = new WebServer(new RunStore(new RunQueries(db), dir.resolve("bob/artifacts"), new RunWriter(db)),
                "127.0.0.1", 0).withRunChanges(new RunChanges(db));
        TestStack.await(vertx.deployVerticle(server));
    }

    @AfterEach
    void stop() {
        TestStack.await(vertx.close());
        db.close();
        h2.stop();
    }

    /** Member A's process: writes the file in A's home, indexes it and stores it in the team database. */
    private long storedByAlice(String path, byte[] content) throws Exception {
        Path home = dir.resolve("alice/artifacts");
        Files.createDirectories(home.resolve(path).getParent());
        Files.write(home.resolve(path), content);
        RunArtifact a = new RunArtifact("runA", "model", "final network", path, content.length, TestStack.sha256(content),
                "application/zip", 1, 0, System.currentTimeMillis());
        new RunWriter(db).putArtifact(a);
        ArtifactUploads.forDatabase(db, home, 1L << 30).orElseThrow().store(a);
        long id = new ArtifactChunks(db).idOf(path);
        assertThat(new ArtifactChunks(db).stored(id).bytes()).isEqualTo(content.length);
        return id;
    }

    private HttpResponse<byte[]> download(long id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/artifacts/" + id))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Replaces chunk {@code seq} of artifact {@code id} with {@code bytes}, as a damaged or forged copy would. */
    private void tamper(long id, int seq, byte[] bytes) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE artifact_chunks SET bytes = ? WHERE artifact_id = ? AND seq = ?")) {
            ps.setBytes(1, bytes);
            ps.setLong(2, id);
            ps.setInt(3, seq);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void anotherMembersLargeArtifactIsStreamedFromTheDatabaseUnchanged() throws Exception {
        byte[] content = random(9 * ArtifactChunks.CHUNK_BYTES + 4321);
        long id = storedByAlice("runA/model.zip", content);
        HttpResponse<byte[]> response = download(id);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(content.length));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"model.zip\"");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("sandbox"));
        assertThat(dir.resolve("bob/artifacts/runA/model.zip")).as("streamed, not copied").doesNotExist();
    }

    @Test
    void aStoredCopyThatIsNotTheIndexedContentIsNeverServedWhole() throws Exception {
        long small = storedByAlice("runA/small.zip", random(1000));
        byte[] flipped = random(1000);
        flipped[0]++;
        tamper(small, 0, flipped);
        HttpResponse<byte[]> refused = download(small);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(new String(refused.body())).getString("error")).contains("is not served")
                .contains("SHA-256");
        tamper(small, 0, new byte[] {1, 2, 3});
        assertThat(download(small).statusCode()).as("another size").isEqualTo(403);

        long large = storedByAlice("runA/large.zip", random(3 * ArtifactChunks.CHUNK_BYTES));
        tamper(large, 2, random(ArtifactChunks.CHUNK_BYTES)); // as long as the original, other bytes
        assertThatThrownBy(() -> download(large)).as("cut short of its Content-Length").isInstanceOf(IOException.class);
    }

    @Test
    void anArtifactNowhereHereSaysWhereItIs() throws Exception {
        RunArtifact a = new RunArtifact("runA", "model", "final network", "runA/huge.zip", 10, "00", "application/zip", 1,
                0, System.currentTimeMillis());
        new RunWriter(db).putArtifact(a);
        HttpResponse<byte[]> response = download(new ArtifactChunks(db).idOf("runA/huge.zip"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body())).contains("team database").contains("runA");
    }
}
