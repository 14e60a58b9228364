package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepSpecParserTest {

    private static SweepSpec parse(String json) {
        return SweepSpecParser.parse(SpecJson.readTree(json, "test"), "fallback");
    }

    private static List<SpecError> errorsOf(String json) {
        try {
            parse(json);
        } catch (SpecException e) {
            return e.errors();
        }
        throw new AssertionError("expected the sweep to be rejected");
    }

    @Test
    void parsesTheNotesCoarseStageWithDefaults() {
        SweepSpec s = parse("""
                {"method": "random", "trials": 20, "parallel": 2,
                 "objective": {"metric": "val_accuracy"},
                 "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                            "regularization.l2": {"loguniform": [1e-5, 10]},
                            "train.batch": {"choice": [32, 64]}},
                 "early_stop": {"type": "asha", "min_epochs": 1, "eta": 3}}
                """);
        assertThat(s.name()).isEqualTo("fallback");
        assertThat(s.method()).isEqualTo(SweepSpec.Method.RANDOM);
        assertThat(s.trials()).isEqualTo(20);
        assertThat(s.parallel()).isEqualTo(2);
        assertThat(s.seed()).isEqualTo(1);
        assertThat(s.objective()).isEqualTo(new Objective("val_accuracy", Objective.Direction.MAX));
        assertThat(s.explosionFactor()).isEqualTo(3.0);
        assertThat(s.params()).containsOnlyKeys("optimizer.lr", "regularization.l2", "train.batch");
        assertThat(s.params().keySet()).containsExactly("optimizer.lr", "regularization.l2", "train.batch");
        assertThat(s.params().get("optimizer.lr")).isEqualTo(new Domain.LogUniform(1e-6, 1e-3, null));
        assertThat(s.earlyStop()).isEqualTo(new Asha(1, 3));
    }

    @Test
    void infersMinimisationForLossObjectives() {
        SweepSpec s = parse("""
                {"trials": 3, "objective": {"metric": "val_loss"}, "params": {"optimizer.lr": {"uniform": [0.1, 0.2]}}}
                """);
        assertThat(s.objective().direction()).isEqualTo(Objective.Direction.MIN);
    }

    @Test
    void reportsBadDomainBoundsWithTheirJsonPath() {
        assertThat(errorsOf("""
                {"trials": 3, "params": {"optimizer.lr": {"loguniform": [0, 1e-3]},
                                         "train.batch": {"int": [64, 32]},
                                         "model.layers[0].filters": {"uniform": [1, "x"]}}}
                """)).containsExactly(
                new SpecError("sweep.params.optimizer.lr.loguniform",
                        "must be [low, high] with 0 < low < high, got [0,0.001]"),
                new SpecError("sweep.params.train.batch.int", "must be [low, high] with low <= high, got [64,32]"),
                new SpecError("sweep.params.model.layers[0].filters.uniform[1]", "must be a number, got string \"x\""));
    }

    @Test
    void reportsEveryStructuralProblemAtOnce() {
        List<SpecError> errors = errorsOf("""
                {"method": "bayes", "parallel": 0, "colour": 1,
                 "objective": {"metric": "throughput"},
                 "params": {"optimizer.lr": {"normal": [0, 1]}, "name": {"choice": ["a"]}},
                 "early_stop": {"type": "hyperband"}}
                """);
        assertThat(errors).extracting(SpecError::path).containsExactlyInAnyOrder(
                "sweep.colour", "sweep.method", "sweep.parallel", "sweep.objective.direction",
                "sweep.params.optimizer.lr.normal", "sweep.params.optimizer.lr", "sweep.params.name",
                "sweep.early_stop.type", "sweep.trials");
    }

    @Test
    void randomSearchNeedsATrialCount() {
        assertThat(errorsOf("{\"params\": {\"optimizer.lr\": {\"loguniform\": [1e-6, 1e-3]}}}"))
                .containsExactly(new SpecError("sweep.trials", "is required for a random search, e.g. 20"));
    }

    @Test
    void gridNeedsPointsForContinuousDomainsButNotForChoicesOrInts() {
        assertThat(errorsOf("""
                {"method": "grid", "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                                              "train.batch": {"choice": [32, 64]}, "train.epochs": {"int": [1, 3]}}}
                """)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("sweep.params.optimizer.lr.grid_points");
                    assertThat(e.message()).startsWith("is required for a loguniform domain in a grid search");
                });
        SweepSpec s = parse("""
                {"method": "grid", "grid_points": 4, "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                 "train.batch": {"choice": [32, 64]}, "train.epochs": {"int": [1, 3]}}}
                """);
        assertThat(s.trials()).isEqualTo(4 * 2 * 3);
    }

    @Test
    void gridRefusesATrialCountThatIsNotItsSize() {
        assertThat(errorsOf("""
                {"method": "grid", "trials": 5, "params": {"train.batch": {"choice": [32, 64]}}}
                """)).containsExactly(new SpecError("sweep.trials",
                "a grid runs every combination; these params have 2, got 5 (drop trials or set it to 2)"));
    }

    @Test
    void writesASectionThatParsesBackToTheSameSweep() {
        SweepSpec s = parse("""
                {"name": "lr", "method": "grid", "grid_points": 3, "seed": 9, "explosion_factor": 0,
                 "objective": {"metric": "val_loss", "direction": "min"},
                 "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3], "grid_points": 4},
                            "schedule": {"choice": [{"type": "step"}, {"type": "snapshot", "cycles": 5}]},
                            "train.batch": {"qloguniform": [16, 256, 16]}},
                 "early_stop": {"type": "asha", "min_epochs": 2, "eta": 2}}
                """);
        assertThat(SweepSpecParser.parse(s.toJson(), "other")).isEqualTo(s);
    }

    @Test
    void rejectsASweepThatIsNotAnObject() {
        assertThatThrownBy(() -> parse("[1]")).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("sweep: must be an object");
    }
}
