package dev.cnnworkbench.web;

import static dev.cnnworkbench.web.TeamClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.env.Host;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting runs over REST and changing runs on a single-user server (no team mode), against a real server and H2:
 * the spec is validated (errors with their JSON paths), the run is recorded as this process's user, and a page of
 * another site can change nothing.
 */
class RunStartApiTest {

    static final String SPEC = "{\"name\": \"again\", \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001},"
            + " \"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 10}]}, \"train\": {\"epochs\": 1}}";

    @TempDir
    static Path home;
    static TestStack stack;
    static final FakeLauncher LAUNCHER = new FakeLauncher();
    static TeamClient client;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home, (server, db) -> server.withLauncher(LAUNCHER));
        LAUNCHER.vertx = stack.vertx;
        client = new TeamClient(stack.server.port());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aValidSpecStartsARunRecordedAsThisServersUserBeforeTheReply() throws Exception {
        HttpResponse<String> r = client.send("POST", "/api/runs", SPEC);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r).getString("id");
        assertThat(json(r).getString("url")).isEqualTo("/run.html?id=" + id);
        assertThat(r.headers().firstValue("Location")).hasValue("/api/runs/" + id);
        JsonObject run = json(client.get("/api/runs/" + id));
        assertThat(run.getString("name")).isEqualTo("again");
        assertThat(run.getString("status")).isEqualTo("RUNNING");
        assertThat(run.getString("user")).isEqualTo(Host.user());
    }

    @Test
    void aBadSpecIs400WithEveryProblemAndItsJsonPath() throws Exception {
        HttpResponse<String> r = client.send("POST", "/api/runs", SPEC.replace("\"epochs\": 1", "\"epochs\": 0")
                .replace("\"units\": 10}", "\"units\": 10}, 7"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject body = json(r);
        JsonArray errors = body.getJsonArray("errors");
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("path")))
                .contains("model.layers[1]", "train.epochs");
        assertThat(body.getString("path")).isEqualTo(errors.getJsonObject(0).getString("path"));
        assertThat(body.getString("error")).isEqualTo(errors.getJsonObject(0).getString("message"));
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aBodyThatIsNoJsonObjectIs400ForTheWholeBody() throws Exception {
        HttpResponse<String> broken = client.send("POST", "/api/runs", "{\"name\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).getString("error")).contains("the request body is not valid JSON at line 1");
        assertThat(json(broken).containsKey("path")).isFalse();
        HttpResponse<String> array = client.send("POST", "/api/runs", "[1, 2]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json(array).getString("error")).contains("JSON object");
    }

    @Test
    void aSpecLargerThanTheBodyLimitIs413() throws Exception {
        String big = "{\"description\": \"" + "x".repeat((int) WebServer.BODY_LIMIT) + "\"}";
        HttpResponse<String> r = client.send("POST", "/api/runs", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).getString("error")).contains("larger than " + WebServer.BODY_LIMIT);
    }

    @Test
    void aLauncherWithoutAFreeSlotIs503AndSweepsAreRefusedByDefault() throws Exception {
        LAUNCHER.busy = true;
        try {
            HttpResponse<String> r = client.send("POST", "/api/runs", SPEC);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).getString("error")).contains("already training");
        } finally {
            LAUNCHER.busy = false;
        }
        HttpResponse<String> sweep = client.send("POST", "/api/sweeps", SPEC);
        assertThat(sweep.statusCode()).isEqualTo(503);
        assertThat(json(sweep).getString("error")).contains("does not start sweeps");
    }

    @Test
    void aSingleUserServerHasNoLoginButRefusesChangesFromAnotherSite() throws Exception {
        JsonObject me = json(client.get("/api/me"));
        assertThat(me.getBoolean("team")).isFalse();
        assertThat(me.getBoolean("admin")).isTrue();
        assertThat(me.getString("user")).isEqualTo(Host.user());
        assertThat(client.send("POST", "/api/login", "{}").statusCode()).isEqualTo(404);

        TeamClient foreign = new TeamClient(stack.server.port()).header("Origin", "http://evil.example");
        HttpResponse<String> r = foreign.send("POST", "/api/runs", SPEC);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).getString("error")).contains("another site");
        assertThat(foreign.stream()).startsWith("403 ");
        assertThat(foreign.get("/api/runs").statusCode()).as("reading needs no Origin check").isEqualTo(200);
        assertThat(new TeamClient(stack.server.port()).header("Origin", client.origin()).send("POST", "/api/runs", SPEC)
                .statusCode()).isEqualTo(202);
    }

    @Test
    void renamesAndDeletesARunWithItsArtifactFiles() throws Exception {
        stack.startRun("old", "first name", Map.of());
        stack.artifact("old", "image", "filters", "old/filters.png", TestStack.png(8), "image/png", 1);
        stack.endRun("old", RunStatus.FINISHED, null);
        stack.flush();
        Path file = stack.artifacts.resolve("old/filters.png");
        assertThat(file).exists();

        HttpResponse<String> renamed = client.send("PUT", "/api/runs/old/name", "{\"name\": \"  better name \"}");
        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(json(renamed).getString("name")).isEqualTo("better name");
        HttpResponse<String> blank = client.send("PUT", "/api/runs/old/name", "{\"name\": \" \"}");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(json(blank).getString("path")).isEqualTo("name");
        assertThat(client.send("PUT", "/api/runs/old/name", "{}").statusCode()).isEqualTo(400);

        HttpResponse<String> deleted = client.send("DELETE", "/api/runs/old", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).getInteger("files")).isEqualTo(1);
        assertThat(file).doesNotExist();
        assertThat(Files.exists(stack.artifacts.resolve("old"))).as("its emptied folder goes too").isFalse();
        assertThat(client.get("/api/runs/old").statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", "/api/runs/old", null).statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", "/api/runs/..%2f..", null).statusCode()).isIn(400, 404);
    }
}
