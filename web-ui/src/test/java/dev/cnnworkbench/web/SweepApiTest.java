package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/sweeps} and {@code GET /api/sweeps/ID}, read from trial runs as {@code workbench sweep} records them. */
class SweepApiTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        seedSweep(new Seeder(stack.db), "lr-sweep", 9);
        new Seeder(stack.db).start("single", "lr-sweep-baseline", "lr-sweep", "{}", Map.of("optimizer.lr", 0.5))
                .value("single", "val_accuracy", 0, 0.99).end("single", RunStatus.FINISHED);
    }

    /**
     * A sweep of {@code n} trials as {@code workbench sweep} records it: lr log-uniform over 1e-6..1e-2, dropout
     * uniform over 0..0.5, val_accuracy best at trial 2 (lr 8.1e-4, dropout 0.31); trial 3 STOPPED, trial 5 FAILED without a value.
     */
    static void seedSweep(Seeder seed, String sweep, int n) {
        double[] lr = {3.2e-6, 8.1e-4, 2.4e-5, 1.1e-3, 6.3e-3, 4.0e-4, 9.5e-6, 1.7e-4, 2.2e-3, 5.5e-5, 3.0e-3, 7.7e-5};
        double[] dropout = {0.05, 0.31, 0.22, 0.44, 0.12, 0.38, 0.27, 0.09, 0.18, 0.41, 0.33, 0.02};
        for (int i = 0; i < n; i++) {
            String id = sweep + "-" + (i + 1);
            seed.start(id, String.format("%s-trial-%03d", sweep, i + 1), sweep, "{\"name\": \"trial\"}",
                    Map.of("optimizer.lr", lr[i], "regularization.dropout", dropout[i], "optimizer.type", "adam",
                            "name", String.format("%s-trial-%03d", sweep, i + 1), "train.epochs", 3.0));
            RunStatus status = i == 2 ? RunStatus.STOPPED : i == 4 ? RunStatus.FAILED : RunStatus.FINISHED;
            if (status != RunStatus.FAILED) {
                double accuracy = 0.9 - 0.05 * Math.abs(Math.log10(lr[i]) + 3) - 0.05 * dropout[i];
                seed.metric(id, "val_accuracy", 0, 3, s -> accuracy - 0.1 * (2 - s));
                seed.value(id, "val_loss", 2, 1 - accuracy);
            }
            seed.end(id, status);
        }
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void listsTheSweepWithItsTrialsAndBest() throws Exception {
        JsonArray sweeps = new JsonObject(stack.get("/api/sweeps").body()).getJsonArray("sweeps");
        assertThat(sweeps).hasSize(1);
        JsonObject sweep = sweeps.getJsonObject(0);
        assertThat(sweep.getString("id")).isEqualTo("lr-sweep");
        assertThat(sweep.getInteger("trials")).as("the baseline run is not a trial").isEqualTo(9);
        assertThat(sweep.getJsonObject("statuses").getMap()).containsEntry("FINISHED", 7).containsEntry("STOPPED", 1)
                .containsEntry("FAILED", 1);
        assertThat(sweep.getJsonObject("objective").getString("metric")).isEqualTo("val_accuracy");
        assertThat(sweep.getJsonObject("best").getString("runId")).isEqualTo("lr-sweep-2");
        assertThat(sweep.getJsonArray("params").getList()).containsExactly("optimizer.lr", "regularization.dropout");
    }

    @Test
    void describesOneSweepsParametersWithTheirScalesAndRanksItsTrials() throws Exception {
        JsonObject sweep = new JsonObject(stack.get("/api/sweeps/lr-sweep").body());
        Map<String, JsonObject> params = sweep.getJsonArray("params").stream().map(JsonObject.class::cast)
                .collect(Collectors.toMap(p -> p.getString("name"), Function.identity()));
        assertThat(params.keySet()).containsExactlyInAnyOrder("optimizer.lr", "regularization.dropout");
        assertThat(params.get("optimizer.lr").getString("scale")).isEqualTo("log");
        assertThat(params.get("optimizer.lr").getDouble("min")).isEqualTo(3.2e-6);
        assertThat(params.get("regularization.dropout").getString("scale")).isEqualTo("linear");
        assertThat(sweep.getString("best")).isEqualTo("lr-sweep-2");
        JsonArray trials = sweep.getJsonArray("trials");
        assertThat(trials).hasSize(9);
        assertThat(trials.getJsonObject(0).getInteger("trial")).isEqualTo(2);
        assertThat(trials.getJsonObject(0).getInteger("rank")).isEqualTo(1);
        assertThat(trials.getJsonObject(7).getJsonObject("run").getString("status")).as("stopped after finished").isEqualTo("STOPPED");
        assertThat(trials.getJsonObject(8).getJsonObject("run").getString("status")).isEqualTo("FAILED");
        assertThat(sweep.getJsonArray("metrics").getList()).contains("val_accuracy", "val_loss");
    }

    @Test
    void ranksOnAnotherObjectiveWhenAsked() throws Exception {
        JsonObject sweep = new JsonObject(stack.get("/api/sweeps/lr-sweep?objective=val_loss").body());
        assertThat(sweep.getJsonObject("objective").getString("direction")).isEqualTo("min");
        assertThat(sweep.getString("best")).isEqualTo("lr-sweep-2");
        JsonObject worst = new JsonObject(stack.get("/api/sweeps/lr-sweep?objective=val_loss&direction=max").body());
        assertThat(worst.getString("best")).isNotEqualTo("lr-sweep-2");
    }

    @Test
    void refusesAnUnknownOrMalformedSweep() throws Exception {
        HttpResponse<String> missing = stack.get("/api/sweeps/no-such-sweep");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("no sweep with id 'no-such-sweep'");
        assertThat(stack.get("/api/sweeps/bad'quote").statusCode()).isEqualTo(400);
        assertThat(stack.get("/api/sweeps/lr-sweep?direction=up").statusCode()).isEqualTo(400);
        assertThat(stack.get("/api/sweeps/lr-sweep?objective=%3Cx%3E").statusCode()).isEqualTo(400);
    }
}
