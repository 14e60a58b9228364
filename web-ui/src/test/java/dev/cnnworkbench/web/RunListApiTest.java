package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/runs}: the store's filter, sort and paging through the API, and its refusals. */
class RunListApiTest {

    @TempDir
    static Path home;
    static TestStack stack;

    /** 30 runs: r00..r29, lr 0.001 * (i + 1), val_accuracy 0.5 + i / 100, every third FAILED, r29 the newest. */
    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        Seeder seed = new Seeder(stack.db);
        for (int i = 0; i < 30; i++) {
            String id = String.format("r%02d", i);
            seed.start(id, "run-" + i, i < 15 ? "lenet" : "vgg", "{}", Map.of("optimizer.lr", 0.001 * (i + 1),
                    "optimizer.type", i % 2 == 0 ? "adam" : "sgd"));
            if (i != 7) {
                seed.value(id, "val_accuracy", 10, 0.5 + i / 100.0);
            }
            seed.end(id, i % 3 == 0 ? RunStatus.FAILED : RunStatus.FINISHED);
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonObject page(String query) throws Exception {
        HttpResponse<String> response = stack.get("/api/runs?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static List<String> ids(JsonObject page) {
        return page.getJsonArray("runs").stream().map(r -> ((JsonObject) r).getString("id")).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void pagesNewestFirstByDefaultWithTheTotal() throws Exception {
        JsonObject first = page("limit=10");
        assertThat(ids(first)).startsWith("r29", "r28").hasSize(10);
        assertThat(first.getLong("total")).isEqualTo(30);
        assertThat(first.getBoolean("hasMore")).isTrue();
        JsonObject last = page("limit=10&offset=20");
        assertThat(ids(last)).endsWith("r00").hasSize(10);
        assertThat(last.getBoolean("hasMore")).isFalse();
    }

    @Test
    void filtersInTheStoresLanguage() throws Exception {
        JsonObject page = page("filter=" + enc("experiment = 'vgg' and status = 'FAILED' and params.optimizer.lr < 0.026"));
        assertThat(ids(page)).containsExactlyInAnyOrder("r15", "r18", "r21", "r24");
        assertThat(page.getLong("total")).isEqualTo(4);
    }

    @Test
    void sortsByAParameterOrAMetricEitherWayWithRunsLackingItLast() throws Exception {
        assertThat(ids(page("sort=params.optimizer.lr&order=asc&limit=3"))).containsExactly("r00", "r01", "r02");
        assertThat(ids(page("sort=params.optimizer.lr&order=desc&limit=3"))).containsExactly("r29", "r28", "r27");
        List<String> byAccuracy = ids(page("sort=metrics.val_accuracy&order=asc&limit=100"));
        assertThat(byAccuracy).startsWith("r00", "r01", "r02").endsWith("r29", "r07");
        assertThat(ids(page("sort=name&order=asc&limit=2"))).containsExactly("r00", "r01");
    }

    @Test
    void refusesAMalformedFilterNamingThePositionAndToken() throws Exception {
        HttpResponse<String> response = stack.get("/api/runs?filter=" + enc("status = 'FAILED' and params.lr <"));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("param")).isEqualTo("filter");
        assertThat(error.getInteger("position")).isEqualTo(33);
        assertThat(error.getString("token")).isEmpty();
        assertThat(error.getString("error")).contains("position 33");

        JsonObject unknown = new JsonObject(stack.get("/api/runs?filter=" + enc("stauts = 'FAILED'")).body());
        assertThat(unknown.getInteger("position")).isZero();
        assertThat(unknown.getString("token")).isEqualTo("stauts");
        assertThat(unknown.getString("error")).contains("unknown field 'stauts'");
    }

    @Test
    void refusesABadSortOrderOrPage() throws Exception {
        JsonObject sort = new JsonObject(stack.get("/api/runs?sort=tag").body());
        assertThat(sort.getString("param")).isEqualTo("sort");
        assertThat(sort.getString("error")).contains("cannot be sorted by tag");
        for (String bad : List.of("order=up", "limit=0", "limit=1001", "offset=-1", "limit=ten", "filter=a&filter=b")) {
            HttpResponse<String> response = stack.get("/api/runs?" + bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(new JsonObject(response.body()).getString("error")).as(bad).isNotBlank();
        }
    }

    @Test
    void listsTagsAndNotesWithEachRun() throws Exception {
        JsonArray runs = page("filter=" + enc("id = 'r03'")).getJsonArray("runs");
        assertThat(runs.getJsonObject(0).getJsonArray("tags")).isEmpty();
        assertThat(runs.getJsonObject(0).containsKey("notes")).isTrue();
    }
}
