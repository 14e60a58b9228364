package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a sweep back from its trial runs, without a server. */
class SweepViewTest {

    private static RunSummary run(String name, String experiment, Map<String, Object> params, Map<String, Double> metrics) {
        return new RunSummary(name, name, experiment, RunStatus.FINISHED, "u", "h", Instant.EPOCH, Instant.EPOCH, null,
                params, metrics, List.of(), null);
    }

    @Test
    void groupsOnlyRunsNamedAfterTheirExperimentsTrials() {
        List<RunSummary> runs = List.of(run("s-trial-001", "s", Map.of(), Map.of()), run("s-trial-002", "s", Map.of(), Map.of()),
                run("s-trial-003", "other", Map.of(), Map.of()), run("s-trial-x", "s", Map.of(), Map.of()),
                run("t-fine-trial-010", "t-fine", Map.of(), Map.of()));
        assertThat(SweepView.bySweep(runs)).containsOnlyKeys("s", "t-fine");
        assertThat(SweepView.bySweep(runs).get("s")).hasSize(2);
        assertThat(SweepView.trialNumber(runs.get(4))).isEqualTo(10);
    }

    @Test
    void aChoiceOfWordsIsACategoryAxisAndAConstantIsNotSwept() {
        List<RunSummary> trials = List.of(
                run("s-trial-001", "s", Map.of("optimizer.type", "sgd", "train.epochs", 3.0, "name", "s-trial-001"), Map.of("val_loss", 0.5)),
                run("s-trial-002", "s", Map.of("optimizer.type", "adam", "train.epochs", 3.0, "name", "s-trial-002"), Map.of("val_loss", 0.4)));
        assertThat(SweepView.sweptParams(trials)).containsExactly("optimizer.type");
        JsonObject sweep = SweepView.detail("s", trials, SweepView.objective(trials, null, null));
        JsonObject param = sweep.getJsonArray("params").getJsonObject(0);
        assertThat(param.getString("scale")).isEqualTo("category");
        assertThat(param.getJsonArray("values").getList()).containsExactly("adam", "sgd");
        assertThat(sweep.getJsonObject("objective").getMap()).containsEntry("metric", "val_loss").containsEntry("direction", "min");
        assertThat(sweep.getString("best")).isEqualTo("s-trial-002");
    }
}
