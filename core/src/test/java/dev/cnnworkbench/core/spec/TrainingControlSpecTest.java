package dev.cnnworkbench.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec parts of training control and transfer learning: early stopping, checkpoints, model.init, data.classes. */
class TrainingControlSpecTest {

    private static final String BASE = """
            {"name": "tiny",
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 3},
                {"type": "maxpool"},
                {"type": "output"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 2, "batch": 32, "validation": 100}}
            """;

    private static ExperimentSpec parse(String... overrides) {
        return new SpecParser().parse(SpecJson.readTree(BASE, "test.json"), List.of(overrides), "fallback");
    }

    private static List<String> errors(String... overrides) {
        try {
            parse(overrides);
        } catch (SpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        }
        throw new AssertionError("expected the spec to be rejected");
    }

    @Test
    void defaultsToNoEarlyStoppingTwoCheckpointsAndEveryClass() {
        ExperimentSpec spec = parse();
        assertThat(spec.train().earlyStopping()).isNull();
        assertThat(spec.train().checkpoints()).isEqualTo(new CheckpointSpec(2));
        assertThat(spec.model().transfer()).isNull();
        assertThat(spec.data().classes()).isEmpty();
        assertThat(spec.data().perClass()).isZero();
        assertThat(SpecJson.flatten(spec)).containsEntry("train.checkpoints.keep", 2)
                .doesNotContainKeys("train.early_stopping.metric", "data.classes", "data.per_class");
    }

    @Test
    void readsEarlyStoppingWithDirectionFromTheMetric() {
        ExperimentSpec spec = parse("train.early_stopping={\"metric\": \"val_loss\", \"patience\": 3, \"min_delta\": 0.01}",
                "train.checkpoints={\"keep\": 5}");
        EarlyStoppingSpec e = spec.train().earlyStopping();
        assertThat(e).isEqualTo(new EarlyStoppingSpec("val_loss", 3, 0.01));
        assertThat(e.higherIsBetter()).isFalse();
        assertThat(e.improves(0.515, 0.52)).as("falls by less than min_delta").isFalse();
        assertThat(e.improves(0.5, 0.52)).isTrue();
        assertThat(e.improves(0.9, null)).as("anything beats no best").isTrue();
        assertThat(e.improves(Double.NaN, null)).isFalse();
        assertThat(spec.train().checkpoints().keep()).isEqualTo(5);
        assertThat(parse("train.early_stopping={\"patience\": 1}").train().earlyStopping().metric())
                .isEqualTo("val_accuracy");
    }

    @Test
    void namesEveryBadEarlyStoppingValueByPath() {
        assertThat(errors("train.early_stopping={\"metric\": \"accuracy\", \"patience\": 0, \"min_delta\": -1,"
                + " \"wait\": 2}")).containsExactlyInAnyOrder(
                "train.early_stopping.wait: unknown field, expected one of metric, patience, min_delta",
                "train.early_stopping.metric: must be one of val_accuracy, val_loss, got \"accuracy\"",
                "train.early_stopping.patience: must be >= 1, got 0",
                "train.early_stopping.min_delta: must be >= 0.0, got -1");
        assertThat(errors("train.early_stopping={}")).containsExactly("train.early_stopping.patience: is required");
        assertThat(errors("train.early_stopping=3")).containsExactly("train.early_stopping: must be an object, got 3");
        assertThat(errors("train.early_stopping={\"patience\": 2}", "train.validation=0")).containsExactly(
                "train.early_stopping: watches a validation metric: hold out a validation set with train.validation"
                        + " (e.g. 5000)");
        assertThat(errors("train.early_stopping={\"patience\": 2}", "ensemble={\"type\": \"snapshot\", \"cycles\": 2}"))
                .containsExactly("train.early_stopping: cannot be combined with an ensemble section: a snapshot"
                        + " ensemble needs the whole training budget");
        assertThat(errors("train.checkpoints={\"keep\": -1}")).containsExactly("train.checkpoints.keep: must be >= 0, got -1");
    }

    @Test
    void readsModelInitAsACheckpointAndWritesItBack() {
        ExperimentSpec spec = parse("model.init={\"from\": \"run:ab12cd34ef56\", \"freeze\": 2}");
        assertThat(spec.model().transfer()).isEqualTo(new TransferSpec("run:ab12cd34ef56", 2, 0.1, "xavier"));
        assertThat(spec.model().init()).isEqualTo("xavier");
        assertThat(TransferSpec.runId(spec.model().transfer().from())).isEqualTo("ab12cd34ef56");
        ExperimentSpec back = new SpecParser().parse(SpecJson.readTree(SpecJson.write(spec), "written"), List.of(), "x");
        assertThat(back).isEqualTo(spec);
        assertThat(SpecJson.flatten(spec)).containsEntry("model.init.from", "run:ab12cd34ef56")
                .containsEntry("model.init.freeze", 2).containsEntry("model.init.lr_scale", 0.1);
        assertThat(parse("model.init={\"from\": \"file:/tmp/m.zip\", \"lr_scale\": 0.5, \"weights\": \"he\"}")
                .model()).extracting(ModelSpec::init, m -> m.transfer().lrScale()).containsExactly("he", 0.5);
        assertThat(parse("model.init=\"he\"").model().transfer()).isNull();
    }

    @Test
    void namesEveryBadModelInitValueByPath() {
        assertThat(errors("model.init={\"from\": \"runs/abc\", \"freeze\": -1, \"lr_scale\": 0, \"weights\": \"ones\"}"))
                .containsExactlyInAnyOrder(
                        "model.init.from: must be run:RUN_ID (a run of this home) or file:PATH (a model zip), got \"runs/abc\"",
                        "model.init.freeze: must be >= 0, got -1",
                        "model.init.lr_scale: must be > 0, got 0",
                        "model.init.weights: must be one of xavier, he, small-gaussian, got \"ones\"");
        assertThat(errors("model.init={\"freeze\": 1}")).containsExactly("model.init.from: is required");
        assertThat(errors("model.init={\"from\": \"run:abc\", \"freeze\": 3}")).containsExactly(
                "model.init.freeze: must be less than the number of layers (3): the output layer is always replaced, got 3");
    }

    @Test
    void readsClassSubsetsAndPerClassCaps() {
        ExperimentSpec spec = parse("data.classes=[5,6,7,8,9]", "data.per_class=50");
        assertThat(spec.data().classes()).containsExactly(5, 6, 7, 8, 9);
        assertThat(spec.data().perClass()).isEqualTo(50);
        assertThat(SpecJson.flatten(spec)).containsEntry("data.classes", "[5,6,7,8,9]").containsEntry("data.per_class", 50);
        assertThat(new SpecParser().parse(SpecJson.readTree(SpecJson.write(spec), "w"), List.of(), "x")).isEqualTo(spec);
        assertThat(errors("data.classes=[3, \"4\", 3, -1]", "data.per_class=-2")).containsExactlyInAnyOrder(
                "data.classes[1]: must be a class label (a whole number from 0), got string \"4\"",
                "data.classes[2]: class 3 is listed twice",
                "data.classes[3]: must be a class label (a whole number from 0), got -1",
                "data.per_class: must be >= 0, got -2");
        assertThat(errors("data.classes=[1]")).containsExactly("data.classes: must list at least 2 classes, got 1");
    }
}
