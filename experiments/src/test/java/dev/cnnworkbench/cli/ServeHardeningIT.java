package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.ServerRuns;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A real {@code serve} (its store, its launcher, its HTTP server, in this JVM) takes what a careless or hostile client
 * posts to {@code POST /api/runs}: specs whose sizes would kill the JVM in native code, integers that would wrap,
 * networks to start from outside the home, and a few hundred generated bodies. Each is a 4xx with a JSON error and
 * every problem's path; the server answers afterwards and has recorded nothing.
 */
class ServeHardeningIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SPEC = """
            {"name": "hardening",
             "data": {"dataset": "fashion-mnist", "path": "/usr/share/datasets/fashion-mnist", "limit": 300, "test_limit": 100},
             "model": {"input": [1, 28, 28], "layers": [
               {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
               {"type": "maxpool", "kernel": 2, "stride": 2},
               {"type": "dense", "units": 16},
               {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.003},
             "augment": [{"type": "hflip"}],
             "train": {"epochs": 1, "batch": 50, "validation": 0}}""";

    private static Path home;
    private static LocalStack stack;
    private static ServerRuns runs;
    private static String base;

    @BeforeContainer
    static void serve() throws Exception {
        home = Files.createTempDirectory("serve-hardening");
        HomeOptions options = new HomeOptions();
        options.home = home;
        stack = LocalStack.startOwner(options);
        runs = ServeCommand.launcher(stack, PluginRegistry.builtin(), 1);
        base = stack.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin(), false, runs);
    }

    @AfterContainer
    static void stop() {
        runs.close();
        stack.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String with(String path, Object value) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(SPEC);
        JsonNode v = MAPPER.valueToTree(value);
        String[] steps = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < steps.length - 1; i++) {
            node = steps[i].matches("\\d+") ? node.get(Integer.parseInt(steps[i])) : node.get(steps[i]);
        }
        String last = steps[steps.length - 1];
        if (node instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), v);
        } else {
            ((ObjectNode) node).set(last, v);
        }
        return root.toString();
    }

    /** The server answers, and no run is recorded. */
    private static void aliveAndNothingRecorded() throws Exception {
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(list.body()).getJsonArray("runs")).isEmpty();
    }

    @Example
    void specsThatWouldKillTheJvmAreRefusedAndTheServerLivesOn() throws Exception {
        List<String> killers = List.of(
                with("model.layers.0.filters", 1_000_000_000),
                with("model.layers.2.units", 1e9),
                with("model.input", List.of(1, 100_000, 100_000)),
                with("train.batch", 1L << 31),
                with("train.epochs", 4294967296L));
        for (String killer : killers) {
            HttpResponse<String> r = post(killer);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getString("path")).as(r.body()).isNotNull();
            assertThat(body.getJsonArray("errors")).isNotEmpty();
        }
        assertThat(new JsonObject(post(killers.get(0)).body()).getString("error")).contains("needs at least", "limit of");
        aliveAndNothingRecorded();
    }

    @Example
    void everyProblemOfAPostedSpecIsInTheErrorsArray() throws Exception {
        String spec = with("train.epochs", 0).replace("\"kernel\":3", "\"kernel\":0")
                .replace("{\"name\"", "{\"colour\":1,\"name\"");
        HttpResponse<String> r = post(spec);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("path"))).contains("train.epochs", "model.layers[0].kernel", "colour");
        aliveAndNothingRecorded();
    }

    @Example
    void aPostedRunCannotTellWhetherAFileOutsideTheHomeExists() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String from : List.of("file:/etc/passwd", "file:/etc/shadow", "file:/no/such/file", "file:../../etc/passwd")) {
            String spec = with("model.init", java.util.Map.of("from", from));
            HttpResponse<String> r = post(spec);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            messages.add(new JsonObject(r.body()).getJsonArray("errors").stream().map(JsonObject.class::cast)
                    .filter(e -> "model.init.from".equals(e.getString("path"))).findFirst().orElseThrow()
                    .getString("message"));
        }
        assertThat(messages).allSatisfy(m -> assertThat(m).isEqualTo(messages.get(0))
                .contains("under the workbench home").doesNotContain("zip", "no such file"));
        aliveAndNothingRecorded();
    }

    @Property(tries = 300)
    void anyBrokenBodyIsA4xxWithAJsonErrorAndRecordsNothing(@ForAll("brokenBodies") String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(body.length() > 300 ? body.substring(0, 300) : body).isBetween(400, 499);
        JsonObject json = new JsonObject(r.body());
        assertThat(json.getString("error")).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
    }

    @Example
    void afterTheGeneratedBodiesNothingIsRecorded() throws Exception {
        aliveAndNothingRecorded();
    }

    @Provide
    Arbitrary<String> brokenBodies() {
        return Arbitraries.longs().map(seed -> broken(new Random(seed)));
    }

    /** A spec with 1 to 5 random mutations, one of them always an unknown key (so no body can start a run). */
    private static String broken(Random random) {
        JsonNode root;
        try {
            root = MAPPER.readTree(SPEC);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            JsonNode value = switch (random.nextInt(10)) {
                case 0 -> f.numberNode(4294967296L);
                case 1 -> f.numberNode(1e9);
                case 2 -> f.numberNode(-7);
                case 3 -> f.numberNode(2.5);
                case 4 -> f.textNode("y".repeat(random.nextInt(3000)));
                case 5 -> f.nullNode();
                case 6 -> f.arrayNode().add(1).add(100000).add(100000);
                case 7 -> f.booleanNode(true);
                case 8 -> f.textNode("file:/etc/shadow");
                default -> f.objectNode().put("type", "conv2d").put("filters", 1_000_000_000);
            };
            if (target instanceof ObjectNode o) {
                List<String> keys = new ArrayList<>();
                o.fieldNames().forEachRemaining(keys::add);
                if (keys.isEmpty() || random.nextBoolean()) {
                    o.set("k" + random.nextInt(50), value);
                } else {
                    o.set(keys.get(random.nextInt(keys.size())), value);
                }
            } else if (target instanceof ArrayNode a && !a.isEmpty()) {
                a.set(random.nextInt(a.size()), value);
            }
        }
        ((ObjectNode) root).put("unknown_" + random.nextInt(1000), 1);
        String text = root.toString();
        return switch (random.nextInt(12)) {
            case 0 -> text.substring(0, random.nextInt(text.length())); // cut short
            case 1 -> "[".repeat(2000 + random.nextInt(3000)); // nesting beyond the parser's limit
            case 2 -> "\"" + "z".repeat(random.nextInt(100)) + "\"";
            default -> text;
        };
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }
}
