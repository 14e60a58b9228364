package dev.cnnworkbench.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    private static final String VALID = """
            {"name": "tiny",
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 3},
                {"type": "output"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 2, "batch": 32, "seed": 7, "validation": 100}}
            """;

    private static ExperimentSpec parse(String json, String... overrides) {
        return new SpecParser().parse(SpecJson.readTree(json, "test.json"), List.of(overrides), "fallback");
    }

    private static List<SpecError> errorsOf(String json, String... overrides) {
        try {
            parse(json, overrides);
        } catch (SpecException e) {
            return e.errors();
        }
        throw new AssertionError("expected the spec to be rejected");
    }

    @Test
    void parsesValidSpecAndFillsDefaults() {
        ExperimentSpec spec = parse(VALID);
        assertThat(spec.name()).isEqualTo("tiny");
        assertThat(spec.experiment()).isEqualTo("tiny");
        assertThat(spec.data().path()).isEqualTo(DataSpec.DEFAULT_PATH);
        assertThat(spec.data().limit()).isZero();
        assertThat(spec.model().init()).isEqualTo("xavier");
        assertThat(spec.model().layers()).extracting(PluginRef::type).containsExactly("conv2d", "output");
        assertThat(spec.model().layers().get(0).params()).containsEntry("filters", 4L).containsEntry("kernel", 3L);
        assertThat(spec.schedule().type()).isEqualTo("constant");
        assertThat(spec.train()).isEqualTo(new TrainSpec(2, 32, 7, 100));
        assertThat(spec.regularization()).isEqualTo(RegularizationSpec.NONE);
    }

    @Test
    void appliesDottedOverridesAsJsonValues() {
        ExperimentSpec spec = parse(VALID, "train.epochs=1", "data.limit=6000", "optimizer.lr=0.003",
                "model.layers[0].kernel=[5,5]", "name=renamed");
        assertThat(spec.train().epochs()).isEqualTo(1);
        assertThat(spec.data().limit()).isEqualTo(6000);
        assertThat(spec.optimizer().params()).containsEntry("lr", 0.003);
        assertThat(spec.model().layers().get(0).params().get("kernel")).isEqualTo(List.of(5L, 5L));
        assertThat(spec.name()).isEqualTo("renamed");
    }

    @Test
    void rejectsOverrideIntoMissingArrayElementWithItsPath() {
        assertThat(errorsOf(VALID, "model.layers[5].filters=3"))
                .containsExactly(new SpecError("model.layers[5]", "no such element to override (the array has 2 elements)"));
    }

    @Test
    void rejectsOverrideWithoutEqualsSign() {
        assertThat(errorsOf(VALID, "train.epochs")).singleElement()
                .satisfies(e -> assertThat(e.path()).isEqualTo("--set train.epochs"));
    }

    @Test
    void rejectsNegativeAndWrongTypedValuesWithExactPaths() {
        List<SpecError> errors = errorsOf(VALID, "train.epochs=0", "train.batch=\"big\"", "data.limit=-5",
                "regularization.l2=-0.1");
        assertThat(errors).containsExactlyInAnyOrder(
                new SpecError("train.epochs", "must be >= 1, got 0"),
                new SpecError("train.batch", "must be a whole number, got string \"big\""),
                new SpecError("data.limit", "must be >= 0, got -5"),
                new SpecError("regularization.l2", "must be >= 0.0, got -0.1"));
    }

    @Test
    void reportsMissingRequiredSections() {
        assertThat(errorsOf("{\"name\": \"x\"}")).extracting(SpecError::path)
                .containsExactlyInAnyOrder("model", "optimizer", "train");
    }

    @Test
    void rejectsLayerWithoutTypeAndUnknownFields() {
        String spec = VALID.replace("{\"type\": \"output\"}", "{\"units\": 10}").replace("\"seed\": 7", "\"sed\": 7");
        assertThat(errorsOf(spec)).extracting(SpecError::toString).containsExactlyInAnyOrder(
                "model.layers[1].type: is required",
                "train.sed: unknown field (did you mean seed?); expected one of epochs, batch, seed, validation, early_stopping, checkpoints");
    }

    @Test
    void rejectsBadInputShapeAndInit() {
        String spec = VALID.replace("[1, 28, 28]", "[1, 28]").replace("\"layers\"", "\"init\": \"zeros\", \"layers\"");
        assertThat(errorsOf(spec)).extracting(SpecError::path).containsExactlyInAnyOrder("model.input", "model.init");
    }

    @Test
    void reportsInvalidJsonWithLineAndColumn() {
        assertThatThrownBy(() -> SpecJson.readTree("{\n  \"name\": ,\n}", "broken.json"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("broken.json is not valid JSON at line 2");
    }

    @Test
    void roundTripsThroughJson() {
        ExperimentSpec spec = parse(VALID);
        ExperimentSpec again = new SpecParser().parse(SpecJson.toTree(spec), List.of(), "other");
        assertThat(again).isEqualTo(spec);
    }

    @Test
    void flattensToDottedNamesKeepingNumbers() {
        var flat = SpecJson.flatten(parse(VALID));
        assertThat(flat).containsEntry("optimizer.lr", 0.001).containsEntry("train.epochs", 2)
                .containsEntry("model.layers[0].type", "conv2d").containsEntry("model.input", "[1,28,28]");
    }
}
