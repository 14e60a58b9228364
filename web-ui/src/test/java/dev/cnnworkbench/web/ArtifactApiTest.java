package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's warnings and artifacts in {@code /api/runs/ID}, and {@code /api/artifacts/ID} serving files from
 * {@code HOME/artifacts} only: by type, never a folder, never outside (through {@code ..}, an absolute path or a
 * symbolic link), a missing file or unknown id 404.
 */
class ArtifactApiTest {

    @TempDir
    static Path home;
    static TestStack stack;
    static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(home);
        png = TestStack.png(8);
        stack.startRun("art", "with-artifacts", Map.of());
        stack.warn("art", "initial_loss", 0, "initial loss 6.1 is far from ln(10) = 2.30: check the last layer's init");
        stack.metrics("art", "train_loss", 0, 20, s -> 1.0);
        stack.warn("art", "dead_relu", 19, "conv1: 70% of units never fire");
        stack.artifact("art", "image", "first-layer filters", "art/filters.png", png, "image/png", 19);
        stack.artifact("art", "histogram", "weights", "art/weights.json", "{\"bins\": [1, 2]}".getBytes(StandardCharsets.UTF_8),
                "application/json; charset=utf-8", 19);
        stack.artifact("art", "model", "final network", "art/model.zip", new byte[] {80, 75, 3, 4}, "application/zip", 20);
        stack.artifact("art", "image", "gone", "art/gone.png", png, "image/png", 20);
        stack.artifact("art", "odd", "odd type", "art/odd.bin", new byte[] {1}, "text/html<script>", 20);
        Files.writeString(home.resolve("secret.txt"), "the database password");
        Files.createSymbolicLink(stack.artifacts.resolve("art/link.png"), home.resolve("secret.txt"));
        stack.artifact("art", "image", "deleted", "art/folder/x.png", png, "image/png", 20);
        Files.delete(stack.artifacts.resolve("art/folder/x.png"));
        stack.endRun("art", RunStatus.FINISHED, null);
        stack.flush();
        Files.delete(stack.artifacts.resolve("art/gone.png"));
        // index rows no writer makes (the writer refuses such paths): a tampered or foreign index
        index("art/link.png", "symlink");
        index("../secret.txt", "dotdot");
        index(home.resolve("secret.txt").toString(), "absolute");
        index("art", "folder");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static void index(String path, String name) throws Exception {
        try (Connection c = stack.db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts"
                + " (run_id, kind, name, path, size_bytes, sha256, media_type, created_at) VALUES ('art', 'image', ?, ?, 1, ?,"
                + " 'text/plain', ?)")) {
            ps.setString(1, name);
            ps.setString(2, path);
            ps.setString(3, "0".repeat(64));
            ps.setObject(4, OffsetDateTime.now());
            ps.executeUpdate();
        }
    }

    private static JsonArray artifacts() throws Exception {
        return new JsonObject(stack.get("/api/runs/art").body()).getJsonArray("artifacts");
    }

    private static long id(String name) throws Exception {
        return artifacts().stream().map(JsonObject.class::cast).filter(a -> a.getString("name").equals(name))
                .findFirst().orElseThrow().getLong("id");
    }

    private static HttpResponse<byte[]> download(long id) throws Exception {
        return stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/api/artifacts/" + id)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String error(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error");
    }

    @Test
    void theRunListsItsWarningsInOrderAndItsArtifactsWithTheirFacts() throws Exception {
        JsonObject run = new JsonObject(stack.get("/api/runs/art").body());
        JsonArray warnings = run.getJsonArray("warnings");
        assertThat(warnings).hasSize(2);
        JsonObject first = warnings.getJsonObject(0);
        assertThat(first.getString("kind")).isEqualTo("initial_loss");
        assertThat(first.getLong("step")).isZero();
        assertThat(first.getString("message")).contains("ln(10)");
        assertThat(first.getLong("created")).isPositive();
        assertThat(first.getLong("id")).isLessThan(warnings.getJsonObject(1).getLong("id"));

        JsonObject filters = run.getJsonArray("artifacts").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("name").equals("first-layer filters")).findFirst().orElseThrow();
        assertThat(filters.fieldNames()).containsExactlyInAnyOrder("id", "kind", "name", "size", "sha256", "mediaType",
                "step", "epoch", "created", "url");
        assertThat(filters.getString("kind")).isEqualTo("image");
        assertThat(filters.getLong("size")).isEqualTo(png.length);
        assertThat(filters.getString("sha256")).isEqualTo(TestStack.sha256(png));
        assertThat(filters.getString("mediaType")).isEqualTo("image/png");
        assertThat(filters.getLong("step")).isEqualTo(19);
        assertThat(filters.getInteger("epoch")).isEqualTo(1);
        assertThat(filters.getString("url")).isEqualTo("/api/artifacts/" + filters.getLong("id"));
    }

    @Test
    void downloadsAnArtifactWithItsMediaType() throws Exception {
        HttpResponse<byte[]> image = download(id("first-layer filters"));
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isEqualTo(png);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"filters.png\"");
        assertThat(image.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("sandbox"));
        assertThat(image.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<byte[]> json = download(id("weights"));
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{\"bins\": [1, 2]}");

        HttpResponse<byte[]> model = download(id("final network"));
        assertThat(model.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(model.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"model.zip\"");

        HttpResponse<byte[]> odd = download(id("odd type"));
        assertThat(odd.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(odd.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    }

    @Test
    void refusesPathsThatLeadOutOfTheArtifactsFolder() throws Exception {
        for (String name : new String[] {"symlink", "dotdot", "absolute"}) {
            HttpResponse<byte[]> response = download(id(name));
            assertThat(response.statusCode()).as(name).isEqualTo(403);
            assertThat(error(response)).as(name).contains("leads out of the artifacts folder");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("password");
        }
    }

    @Test
    void refusesTraversalInTheUrlItself() throws Exception {
        for (String path : new String[] {"/api/artifacts/..%2F..%2Fsecret.txt", "/api/artifacts/%2e%2e%2fsecret.txt",
                "/api/artifacts/1%2F..%2F..%2Fsecret.txt", "/api/artifacts/-1"}) {
            String raw = stack.raw("GET", path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 400").doesNotContain("password");
        }
        for (String path : new String[] {"/api/artifacts/../../secret.txt", "/api/artifacts/", "/api/artifacts"}) {
            String raw = stack.raw("GET", path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 404").doesNotContain("password");
        }
    }

    @Test
    void answers404ForAFolderAMissingFileOrAnUnknownId() throws Exception {
        HttpResponse<byte[]> folder = download(id("folder"));
        assertThat(folder.statusCode()).isEqualTo(404);
        assertThat(new String(folder.body(), StandardCharsets.UTF_8)).doesNotContain("filters.png");
        assertThat(download(id("gone")).statusCode()).isEqualTo(404);
        assertThat(error(download(id("gone")))).contains("not in this server's artifacts folder");
        assertThat(download(id("deleted")).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> unknown = download(999_999);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("no artifact with id 999999");
    }
}
