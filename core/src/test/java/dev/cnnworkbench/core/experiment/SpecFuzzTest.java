package dev.cnnworkbench.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated spec JSON through the parser and the validator ({@link Preflight#spec}): valid specs mutated at random
 * (wrong types, huge, negative and fractional numbers, unknown keys, deep nesting, long strings, missing sections,
 * {@code --set} overrides). Whatever comes in, the answer is an experiment or a SpecException whose every error names
 * a JSON path; never another exception. (Core sees no built-in plugins, so the plugin checks answer "unknown plugin"
 * here; the REST property in the experiments module runs the same mutations against the real plugins.)
 */
class SpecFuzzTest {

    static final String VALID = """
            {"name": "fuzz", "experiment": "fuzzing",
             "data": {"dataset": "fashion-mnist", "limit": 500, "test_limit": 100, "classes": [0, 1, 2], "per_class": 0},
             "model": {"input": [1, 28, 28], "init": "he", "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 3},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 0}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "schedule": {"type": "constant"},
             "regularization": {"l2": 0.0001},
             "augment": [{"type": "flip"}],
             "train": {"epochs": 2, "batch": 32, "seed": 7, "validation": 100,
                       "early_stopping": {"metric": "val_loss", "patience": 2}, "checkpoints": {"keep": 1}},
             "diagnostics": {"every": 10, "histograms": false}}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SpecResolver RESOLVER = new SpecResolver(PluginRegistry.builtin());

    @Property(tries = 2000)
    void anySpecIsAnExperimentOrErrorsWithPaths(@ForAll("mutatedSpecs") String json) {
        check(json, List.of());
    }

    @Property(tries = 500)
    void anyOverrideIsAnExperimentOrErrorsWithPaths(@ForAll("overrides") String override) {
        check(VALID, List.of(override));
    }

    private static void check(String json, List<String> overrides) {
        try {
            JsonNode tree = SpecJson.readTree(json, "fuzz.json");
            Preflight.spec(tree, overrides, "fuzz", RESOLVER);
        } catch (SpecException e) {
            assertThat(e.errors()).isNotEmpty();
            for (SpecError error : e.errors()) {
                assertThat(error.path()).as(error.toString()).isNotNull();
                assertThat(error.message()).as(error.toString()).isNotBlank();
            }
            boolean wholeBody = e.errors().size() == 1 && e.errors().get(0).path().isEmpty();
            if (!wholeBody) {
                assertThat(e.errors()).allSatisfy(err -> assertThat(err.path()).as(err.toString())
                        .matches("(?s)[A-Za-z_\\-][A-Za-z0-9_\\-]*(\\[\\d+])*(\\.[^.]+)*(\\.\\.\\.)?|--set .*"));
            }
        }
    }

    @Provide
    Arbitrary<String> mutatedSpecs() {
        return Arbitraries.longs().map(seed -> mutate(new Random(seed)));
    }

    @Provide
    Arbitrary<String> overrides() {
        Arbitrary<String> paths = Arbitraries.of("train.epochs", "train.batch", "train.seed", "data.limit",
                "model.input[1]", "model.layers[0].filters", "model.layers[9].kernel", "optimizer.lr", "name",
                "train.early_stopping.patience", "a..b", "model.layers[x]", "", "train.checkpoints.keep");
        Arbitrary<String> values = Arbitraries.of("4294967296", "1e9", "-1", "0", "1.5", "2147483648", "\"x\"", "[1,2]",
                "{}", "null", "true", "1e400", "99999999999999999999999", "NaN", "", "{\"a\":", "0.0", "3.0");
        return Arbitraries.oneOf(
                paths.flatMap(p -> values.map(v -> p + "=" + v)),
                Arbitraries.strings().ofMaxLength(40));
    }

    /** {@link #VALID} with 1 to 6 random mutations. */
    static String mutate(Random random) {
        JsonNode root;
        try {
            root = MAPPER.readTree(VALID);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            mutateOne(target, random);
        }
        if (random.nextInt(20) == 0) {
            return root.toString().substring(0, random.nextInt(root.toString().length())); // truncated JSON
        }
        return root.toString();
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    private static void mutateOne(JsonNode target, Random random) {
        JsonNode value = weird(random);
        if (target instanceof ObjectNode obj) {
            List<String> keys = new ArrayList<>();
            obj.fieldNames().forEachRemaining(keys::add);
            int what = random.nextInt(4);
            if (what == 0 || keys.isEmpty()) {
                obj.set(random.nextBoolean() ? "x" + random.nextInt(100) : "epochz", value); // unknown key
            } else if (what == 1) {
                obj.remove(keys.get(random.nextInt(keys.size()))); // missing field or section
            } else {
                obj.set(keys.get(random.nextInt(keys.size())), value);
            }
        } else if (target instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextInt(4) == 0) {
                array.add(value);
            } else if (random.nextInt(3) == 0) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), value);
            }
        }
    }

    /** A value of a wrong type, out of range, huge, fractional, long or deeply nested. */
    static JsonNode weird(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(16)) {
            case 0 -> f.numberNode(4294967296L);
            case 1 -> f.numberNode(1e9);
            case 2 -> f.numberNode(-1 - random.nextInt(1000));
            case 3 -> f.numberNode(random.nextDouble() * 10);
            case 4 -> f.numberNode(Integer.MAX_VALUE + 1L);
            case 5 -> f.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 6 -> f.textNode("x".repeat(random.nextInt(5000)));
            case 7 -> f.booleanNode(random.nextBoolean());
            case 8 -> f.nullNode();
            case 9 -> {
                JsonNode deep = f.numberNode(1);
                for (int i = 0, depth = random.nextInt(300); i < depth; i++) {
                    deep = random.nextBoolean() ? f.arrayNode().add(deep) : f.objectNode().set("k", deep);
                }
                yield deep;
            }
            case 10 -> f.arrayNode().add(1).add(100000).add(100000);
            case 11 -> f.objectNode().put("type", random.nextBoolean() ? "conv2d" : "zzz").put("filters", 1_000_000_000);
            case 12 -> f.numberNode(0);
            case 13 -> f.numberNode(1e300);
            case 14 -> f.textNode("run:../../etc");
            default -> f.objectNode();
        };
    }
}
