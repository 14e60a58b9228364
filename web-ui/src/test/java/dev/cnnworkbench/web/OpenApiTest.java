package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.api.OpenApi;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document: served, and in step with the routes the server registers, both ways, on a server with every
 * route on (one that accepts the runs of other processes, whose store is writable, in team mode).
 */
class OpenApiTest {

    @TempDir
    static Path home;
    static TestStack stack;
    static WebServer server;
    /** The same in team mode, which adds the login routes. */
    static WebServer teamServer;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        server = new WebServer(new RunStore(new RunQueries(stack.db), home, new RunWriter(stack.db)), "127.0.0.1", 0,
                "an-ingest-token-for-tests").withPlugins(PluginRegistry.builtin()).withRunChanges(new RunChanges(stack.db));
        TestStack.await(stack.vertx.deployVerticle(server));
        teamServer = new WebServer(new RunStore(new RunQueries(stack.db), home, new RunWriter(stack.db)), "127.0.0.1", 0,
                "an-ingest-token-for-tests").withPlugins(PluginRegistry.builtin()).withRunChanges(new RunChanges(stack.db))
                .withTeamMode(new UserAccounts(stack.db));
        TestStack.await(stack.vertx.deployVerticle(teamServer));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonObject document() throws Exception {
        HttpResponse<String> response = stack.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + OpenApi.PATH)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return new JsonObject(response.body());
    }

    /** {@code GET /api/runs/{id}} for every route under /api/ with a path and methods; catch-alls ({@code /api/*}) left out. */
    private static Set<String> registered() {
        Set<String> out = new TreeSet<>();
        for (Route route : teamServer.routes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith("/api/") || !route.isExactPath() || route.methods() == null
                    || route.methods().isEmpty()) {
                continue;
            }
            for (HttpMethod method : route.methods()) {
                out.add(method.name() + " " + path.replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
            }
        }
        return out;
    }

    private static Set<String> documented(JsonObject doc) {
        Set<String> out = new TreeSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                out.add(method.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return out;
    }

    @Test
    void isAnOpenApi3Document() throws Exception {
        JsonObject doc = document();
        assertThat(doc.getString("openapi")).startsWith("3.");
        assertThat(doc.getJsonObject("info").getString("title")).isNotBlank();
        assertThat(doc.getJsonObject("components").getJsonObject("schemas").fieldNames()).contains("Error", "Run", "Sweep");
    }

    @Test
    void documentsEveryRouteTheServerRegisters() throws Exception {
        Set<String> registered = registered();
        assertThat(registered).contains("GET /api/runs", "PATCH /api/runs/{id}", "GET /api/sweeps/{id}", "POST /api/ingest");
        assertThat(documented(document())).containsAll(registered);
    }

    @Test
    void documentsNoRouteTheServerLacks() throws Exception {
        assertThat(registered()).containsAll(documented(document()));
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonObject doc = document();
        Set<String> schemas = doc.getJsonObject("components").getJsonObject("schemas").fieldNames();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"#/components/schemas/([A-Za-z]+)\"")
                .matcher(doc.encode());
        while (refs.find()) {
            assertThat(schemas).contains(refs.group(1));
        }
    }
}
