package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.spec.SpecJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrialGeneratorTest {

    private static final String COARSE = """
            {"trials": 100, "seed": 7,
             "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                        "regularization.l2": {"loguniform": [1e-5, 10]},
                        "train.batch": {"choice": [32, 64]},
                        "train.epochs": {"int": [1, 3]},
                        "model.layers[0].filters": {"qloguniform": [4, 64, 4]},
                        "regularization.l1": {"uniform": [0, 0.5]}}}
            """;

    private static SweepSpec sweep(String json) {
        return SweepSpecParser.parse(SpecJson.readTree(json, "test"), "s");
    }

    private static double[] values(List<Trial> trials, String path) {
        return trials.stream().mapToDouble(t -> t.values().get(path).asDouble()).toArray();
    }

    @Test
    void randomSearchGivesTheAskedNumberOfTrialsNumberedFromOne() {
        List<Trial> trials = TrialGenerator.trials(sweep(COARSE));
        assertThat(trials).hasSize(100);
        assertThat(trials.get(0).number()).isEqualTo(1);
        assertThat(trials.get(99).number()).isEqualTo(100);
        assertThat(trials).allSatisfy(t -> assertThat(t.values()).hasSize(6));
    }

    @Test
    void theSameSweepSpecGivesTheSameTrialsAndAnotherSeedOthers() {
        assertThat(TrialGenerator.trials(sweep(COARSE))).isEqualTo(TrialGenerator.trials(sweep(COARSE)));
        List<Trial> other = TrialGenerator.trials(sweep(COARSE.replace("\"seed\": 7", "\"seed\": 8")));
        assertThat(other).isNotEqualTo(TrialGenerator.trials(sweep(COARSE)));
        // A longer sweep starts with the same trials, so adding trials keeps the ones already run.
        List<Trial> longer = TrialGenerator.trials(sweep(COARSE.replace("\"trials\": 100", "\"trials\": 150")));
        assertThat(longer.subList(0, 100)).isEqualTo(TrialGenerator.trials(sweep(COARSE)));
    }

    @Test
    void logUniformSamplesHitEveryDecadeOfTheRangeEvenly() {
        List<Trial> trials = TrialGenerator.trials(sweep(COARSE.replace("\"trials\": 100", "\"trials\": 600")));
        Map<Integer, Integer> lrDecades = decades(values(trials, "optimizer.lr"));
        assertThat(lrDecades).containsOnlyKeys(-6, -5, -4);
        assertThat(lrDecades.values()).allSatisfy(n -> assertThat(n).isBetween(150, 250));
        Map<Integer, Integer> regDecades = decades(values(trials, "regularization.l2"));
        assertThat(regDecades).containsOnlyKeys(-5, -4, -3, -2, -1, 0);
        assertThat(regDecades.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    private static Map<Integer, Integer> decades(double[] values) {
        Map<Integer, Integer> out = new TreeMap<>();
        for (double v : values) {
            out.merge((int) Math.floor(Math.log10(v)), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void everyDomainStaysInItsRangeWithItsType() {
        List<Trial> trials = TrialGenerator.trials(sweep(COARSE));
        assertThat(java.util.Arrays.stream(values(trials, "optimizer.lr")).min().orElseThrow()).isGreaterThanOrEqualTo(1e-6);
        assertThat(java.util.Arrays.stream(values(trials, "optimizer.lr")).max().orElseThrow()).isLessThanOrEqualTo(1e-3);
        assertThat(java.util.Arrays.stream(values(trials, "regularization.l1")).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(java.util.Arrays.stream(values(trials, "regularization.l1")).max().orElseThrow()).isLessThanOrEqualTo(0.5);
        assertThat(trials).extracting(t -> t.values().get("train.batch").asInt()).containsOnly(32, 64);
        List<JsonNode> epochs = trials.stream().map(t -> t.values().get("train.epochs")).toList();
        assertThat(epochs).allSatisfy(n -> assertThat(n.isIntegralNumber()).isTrue());
        assertThat(epochs).extracting(JsonNode::asInt).containsOnly(1, 2, 3).contains(1, 3);
        List<JsonNode> filters = trials.stream().map(t -> t.values().get("model.layers[0].filters")).toList();
        assertThat(filters).allSatisfy(n -> {
            assertThat(n.isIntegralNumber()).isTrue();
            assertThat(n.asInt() % 4).isZero();
            assertThat(n.asInt()).isBetween(4, 64);
        });
    }

    @Test
    void gridIsTheCartesianProductFirstParameterSlowest() {
        List<Trial> trials = TrialGenerator.trials(sweep("""
                {"method": "grid",
                 "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3], "grid_points": 4},
                            "train.batch": {"choice": [32, 64]}}}
                """));
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(Trial::describe).containsExactly(
                "optimizer.lr=1.00e-06 train.batch=32", "optimizer.lr=1.00e-06 train.batch=64",
                "optimizer.lr=1.00e-05 train.batch=32", "optimizer.lr=1.00e-05 train.batch=64",
                "optimizer.lr=0.000100 train.batch=32", "optimizer.lr=0.000100 train.batch=64",
                "optimizer.lr=0.00100 train.batch=32", "optimizer.lr=0.00100 train.batch=64");
        assertThat(trials.get(2).values().get("optimizer.lr").asDouble()).isEqualTo(1e-5);
    }

    @Test
    void gridOverLinearAndQuantisedDomainsUsesEvenPointsWithoutDuplicates() {
        SweepSpec s = sweep("""
                {"method": "grid", "grid_points": 3,
                 "params": {"regularization.l1": {"uniform": [0, 1]},
                            "train.batch": {"qloguniform": [16, 64, 16]},
                            "train.epochs": {"int": [1, 9], "grid_points": 3}}}
                """);
        assertThat(s.params().get("regularization.l1").grid(3)).extracting(JsonNode::asDouble)
                .containsExactly(0.0, 0.5, 1.0);
        assertThat(s.params().get("train.batch").grid(3)).extracting(JsonNode::asInt).containsExactly(16, 32, 64);
        assertThat(s.params().get("train.epochs").grid(3)).extracting(JsonNode::asInt).containsExactly(1, 5, 9);
        assertThat(TrialGenerator.trials(s)).hasSize(27);
    }

    @Test
    void trialsNameTheirRunsAndWriteTheirValuesAsOverrides() {
        Trial t = TrialGenerator.trials(sweep("""
                {"trials": 1, "params": {"optimizer.type": {"choice": ["adam"]},
                 "schedule": {"choice": [{"type": "snapshot", "cycles": 5}]}}}
                """)).get(0);
        assertThat(t.name("lr-sweep")).isEqualTo("lr-sweep-trial-001");
        assertThat(t.overrides()).containsExactly("optimizer.type=\"adam\"",
                "schedule={\"type\":\"snapshot\",\"cycles\":5}");
    }
}
