package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.PluginInfo;
import dev.cnnworkbench.core.plugin.PluginProblem;
import dev.cnnworkbench.web.api.PluginApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/plugins}: the registry the server was given, with schemas and sources. */
class PluginApiTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void listsEachPluginWithItsSchema() throws Exception {
        JsonObject body = new JsonObject(stack.get("/api/plugins").body());
        JsonObject conv = body.getJsonArray("plugins").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("name").equals("conv2d")).findFirst().orElseThrow();
        assertThat(conv.getString("kind")).isEqualTo("layer");
        assertThat(conv.getString("source")).isEqualTo("builtin");
        JsonArray params = conv.getJsonArray("params");
        JsonObject filters = params.getJsonObject(0);
        assertThat(filters.getString("name")).isEqualTo("filters");
        assertThat(filters.getString("type")).isEqualTo("int");
        assertThat(filters.getBoolean("required")).isTrue();
        assertThat(filters.getDouble("min")).isEqualTo(1.0);
        JsonObject padding = params.getJsonObject(3);
        assertThat(padding.getString("type")).isEqualTo("int_pair");
        assertThat(padding.getInteger("default")).isZero();
        assertThat(padding.getJsonArray("choices").getList()).containsExactly("same");
        assertThat(body.getJsonArray("problems")).isEmpty();
    }

    @Test
    void namesAPluginsJarAndTheProvidersThatFailed() {
        JsonObject json = PluginApi.json(List.of(new PluginInfo(new StubConv2d(), "my-layers.jar")),
                List.of(new PluginProblem("broken.jar", "com.example.Bad", "NoClassDefFoundError: x")));
        assertThat(json.getJsonArray("plugins").getJsonObject(0).getString("source")).isEqualTo("my-layers.jar");
        assertThat(json.getJsonArray("problems").getJsonObject(0).getMap())
                .containsEntry("source", "broken.jar").containsEntry("provider", "com.example.Bad");
        assertThat(json.getString("note")).contains("restart `workbench serve`").contains("first jar by file name");
    }
}
