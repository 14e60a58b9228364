package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepFileTest {

    static final String SPEC = """
            {"name": "lr-reg",
             "model": {"input": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 4, "kernel": 3}, {"type": "output"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "ensemble": {"type": "snapshot", "cycles": 3},
             "train": {"epochs": 2, "batch": 32, "seed": 7, "validation": 100},
             "sweep": {"trials": 4, "parallel": 2,
                       "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                                  "regularization.l2": {"loguniform": [1e-5, 10]},
                                  "model.layers[0].filters": {"choice": [4, 8]}}}}
            """;

    static SweepFile file(String... overrides) {
        return SweepFile.of(SpecJson.readTree(SPEC, "test"), List.of(overrides), "fallback");
    }

    @Test
    void aTrialSpecIsTheBaseWithItsValuesNameAndExperimentAndParsesAsARun() {
        SweepFile f = file();
        Trial t = f.trials().get(2);
        ObjectNode spec = f.trialSpec(t);
        assertThat(spec.has("sweep")).isFalse();
        assertThat(spec.has("ensemble")).as("kept only once SpecParser reads it")
                .isEqualTo(SweepFile.NOT_FOR_SPEC_PARSER.isEmpty());
        ExperimentSpec parsed = new SpecParser().parse(spec, List.of(), "x");
        assertThat(parsed.name()).isEqualTo("lr-reg-trial-003");
        assertThat(parsed.experiment()).isEqualTo("lr-reg");
        assertThat(parsed.optimizer().params().get("lr")).isEqualTo(t.values().get("optimizer.lr").asDouble());
        assertThat(parsed.regularization().l2()).isEqualTo(t.values().get("regularization.l2").asDouble());
        assertThat(parsed.model().layers().get(0).params().get("filters"))
                .isEqualTo(t.values().get("model.layers[0].filters").asLong());
        assertThat(parsed.train().seed()).isEqualTo(7);
    }

    @Test
    void overridesReachBothTheBaseAndTheSweepSection() {
        SweepFile f = file("train.epochs=1", "sweep.parallel=3", "sweep.name=\"renamed\"");
        assertThat(f.sweep().parallel()).isEqualTo(3);
        assertThat(f.id()).isEqualTo("renamed");
        assertThat(f.trialSpec(f.trials().get(0)).path("train").path("epochs").asInt()).isEqualTo(1);
        assertThat(f.trialSpec(f.trials().get(0)).path("experiment").asText()).isEqualTo("renamed");
    }

    @Test
    void writesAFileThatLoadsBackToTheSameSweep(@TempDir Path dir) throws Exception {
        SweepFile f = file();
        Path out = dir.resolve("again.json");
        Files.writeString(out, f.toJson().toPrettyString());
        SweepFile again = SweepFile.load(out, List.of());
        assertThat(again.sweep()).isEqualTo(f.sweep());
        assertThat(again.trials()).isEqualTo(f.trials());
        assertThat(again.base().get("ensemble")).isEqualTo(f.base().get("ensemble"));
    }

    @Test
    void aSpecWithoutASweepSectionIsRefusedWithThePath() {
        JsonNode plain = SpecJson.readTree("{\"name\": \"x\"}", "test");
        assertThatThrownBy(() -> SweepFile.of(plain, List.of(), "x")).isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).errors().get(0).path()).isEqualTo("sweep"));
        assertThatThrownBy(() -> SweepFile.load(Path.of("no-such-file.json"), List.of()))
                .hasMessageContaining("spec file not found");
    }
}
