package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunNamesTest {

    private static ExperimentSpec spec(String head) {
        return new SpecParser().parse(SpecJson.readTree("{" + head + """
                 "model": {"input": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 4, "kernel": 3}, {"type": "output"}]},
                 "optimizer": {"type": "adam", "lr": 0.001}, "train": {"epochs": 1, "batch": 32}}
                """, "test.json"), List.of(), "fallback");
    }

    @Test
    void namesRunsOfAnExperimentWithoutANameOfTheirOwnApartReadablyAndStably() {
        ExperimentSpec spec = spec("\"name\": \"lenet5-fashion\", \"experiment\": \"lenet5-fashion\",");
        Random random = new Random(15);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = String.format("%012x", random.nextLong() & 0xffffffffffffL);
            String name = RunNames.of(spec, id);
            assertThat(name).matches("lenet5-fashion-[a-z]+-[a-z]+-" + id.substring(0, 4));
            assertThat(RunNames.of(spec, id)).as("the same run keeps its name").isEqualTo(name);
            names.add(name);
        }
        assertThat(names).hasSize(1_000);
        // a spec that names nothing: both default to the same, so the run still gets a name of its own
        assertThat(RunNames.of(spec(""), "abcdef123456")).matches("fallback-[a-z]+-[a-z]+-abcd");
    }

    @Test
    void keepsANameTheSpecGivesApartFromItsExperiment() {
        assertThat(RunNames.of(spec("\"name\": \"lr-0.01\", \"experiment\": \"lenet5-fashion\","), "abcdef123456"))
                .isEqualTo("lr-0.01");
    }
}
