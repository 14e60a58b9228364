package dev.cnnworkbench.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnsembleSpecTest {

    private static EnsembleSpec read(String json) {
        return EnsembleSpec.read(SpecJson.readTree(json, "t"));
    }

    @Test
    void readsTheSectionAndTakesCyclesFromTheSnapshotSchedule() {
        assertThat(read("{\"ensemble\": {\"type\": \"snapshot\", \"cycles\": 4, \"save\": false}}"))
                .isEqualTo(new EnsembleSpec("snapshot", 4, false));
        assertThat(read("{\"schedule\": {\"type\": \"snapshot\", \"cycles\": 5}, \"ensemble\": {\"type\": \"snapshot\"}}"))
                .isEqualTo(new EnsembleSpec("snapshot", 5, true));
        assertThat(read("{\"name\": \"plain\"}")).isNull();
    }

    @Test
    void reportsProblemsWithTheirPaths() {
        try {
            read("{\"schedule\": {\"type\": \"step\"}, \"ensemble\": {\"type\": \"bagging\", \"members\": 3, \"save\": 1}}");
            throw new AssertionError("expected a SpecException");
        } catch (SpecException e) {
            assertThat(e.errors()).extracting(SpecError::path)
                    .containsExactlyInAnyOrder("ensemble.members", "ensemble.type", "ensemble.cycles", "ensemble.save");
        }
    }
}
