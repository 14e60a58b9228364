package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.web.api.RunEditApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inline edits: {@code PATCH /api/runs/ID} (notes), {@code POST /api/runs/ID/tags}, {@code DELETE /api/runs/ID/tags/T}. */
class RunEditApiTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        new Seeder(stack.db).start("edit-me", "edit-me", "lenet", "{}", Map.of()).end("edit-me", RunStatus.FINISHED);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void addsAndRemovesTags() throws Exception {
        HttpResponse<String> added = stack.send("POST", "/api/runs/edit-me/tags", "{\"tags\": [\"baseline\", \" best \"]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(new JsonObject(added.body()).getJsonArray("tags").getList()).containsExactly("baseline", "best");
        HttpResponse<String> removed = stack.send("DELETE", "/api/runs/edit-me/tags/baseline", null);
        assertThat(new JsonObject(removed.body()).getJsonArray("tags").getList()).containsExactly("best");
        HttpResponse<String> listed = stack.get("/api/runs?filter=tag%20%3D%20%27best%27");
        assertThat(new JsonObject(listed.body()).getLong("total")).isEqualTo(1);
    }

    @Test
    void setsAndClearsNotes() throws Exception {
        HttpResponse<String> set = stack.send("PATCH", "/api/runs/edit-me", "{\"notes\": \"lr too high?\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(set.body()).getString("notes")).isEqualTo("lr too high?");
        assertThat(new JsonObject(stack.get("/api/runs/edit-me").body()).getString("notes")).isEqualTo("lr too high?");
        HttpResponse<String> cleared = stack.send("PATCH", "/api/runs/edit-me", "{\"notes\": \"\"}");
        assertThat(new JsonObject(cleared.body()).getString("notes")).isNull();
    }

    @Test
    void refusesMalformedBodiesNamingTheField() throws Exception {
        JsonObject badTag = new JsonObject(stack.send("POST", "/api/runs/edit-me/tags", "{\"tags\": [\"ok\", \"\"]}").body());
        assertThat(badTag.getString("path")).isEqualTo("tags[1]");
        JsonObject noTags = new JsonObject(stack.send("POST", "/api/runs/edit-me/tags", "{\"tags\": []}").body());
        assertThat(noTags.getString("path")).isEqualTo("tags");
        HttpResponse<String> notJson = stack.send("PATCH", "/api/runs/edit-me", "notes=hello");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(notJson.body()).getString("error")).contains("not a JSON object");
        JsonObject badNotes = new JsonObject(stack.send("PATCH", "/api/runs/edit-me", "{\"notes\": 3}").body());
        assertThat(badNotes.getString("path")).isEqualTo("notes");
        HttpResponse<String> tooLong = stack.send("PATCH", "/api/runs/edit-me",
                new JsonObject().put("notes", "x".repeat(RunEditApi.MAX_NOTES + 1)).encode());
        assertThat(tooLong.statusCode()).isEqualTo(400);
    }

    @Test
    void answersAnUnknownRunWith404() throws Exception {
        HttpResponse<String> response = stack.send("PATCH", "/api/runs/ghost", "{\"notes\": \"x\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("no run with id 'ghost'");
        assertThat(stack.send("POST", "/api/runs/ghost/tags", "{\"tags\": [\"a\"]}").statusCode()).isEqualTo(404);
        assertThat(stack.send("DELETE", "/api/runs/ghost/tags/a", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aReadOnlyStoreRefusesEditsWith503() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WebServer server = new WebServer(new RunStore(new RunQueries(stack.db)), "127.0.0.1", 0);
            TestStack.await(vertx.deployVerticle(server));
            HttpResponse<String> response = stack.http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/runs/edit-me"))
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"notes\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(response.body()).getString("error")).contains("read-only");
        } finally {
            TestStack.await(vertx.close());
        }
    }
}
