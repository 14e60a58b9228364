package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RungJudged;
import dev.cnnworkbench.core.bus.SweepDefined;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/sweeps} and {@code GET /api/sweeps/ID}, read from the sweep records {@code workbench sweep} writes. */
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
     * A sweep of {@code n} trials as {@code workbench sweep} records it: its definition (lr log-uniform over 1e-6..1e-2,
     * dropout uniform over 0..0.5, val_accuracy max), then each trial's run started as trial k of the sweep; val_accuracy
     * best at trial 2 (lr 8.1e-4, dropout 0.31); trial 3 STOPPED by ASHA at rung 1 (against threshold 0.7), trial 5 FAILED
     * without a value. Runs are named as people renamed them, not {@code <sweep>-trial-NNN}.
     */
    static void seedSweep(Seeder seed, String sweep, int n) {
        seedSweep(seed, sweep, n, null, 0);
    }

    /** As above, refining {@code parent}; {@code shift} moves every accuracy (another stage does better or worse). */
    static void seedSweep(Seeder seed, String sweep, int n, String parent, double shift) {
        double[] lr = {3.2e-6, 8.1e-4, 2.4e-5, 1.1e-3, 6.3e-3, 4.0e-4, 9.5e-6, 1.7e-4, 2.2e-3, 5.5e-5, 3.0e-3, 7.7e-5};
        double[] dropout = {0.05, 0.31, 0.22, 0.44, 0.12, 0.38, 0.27, 0.09, 0.18, 0.41, 0.33, 0.02};
        java.util.Map<String, String> domains = new java.util.LinkedHashMap<>();
        domains.put("optimizer.lr", "{\"loguniform\":[1.0E-6,0.01]}");
        domains.put("regularization.dropout", "{\"uniform\":[0.0,0.5]}");
        java.util.List<SweepDefined.PlannedTrial> plan = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            plan.add(new SweepDefined.PlannedTrial(i + 1, new JsonObject().put("optimizer.lr", lr[i])
                    .put("regularization.dropout", dropout[i]).encode()));
        }
        seed.record(new SweepDefined(sweep, "{}", "random", "val_accuracy", "max", n, 2, 1, domains,
                "{\"type\":\"asha\",\"min_epochs\":1,\"eta\":3}", 3, parent, plan, "seeder", seed.clock()));
        for (int i = 0; i < n; i++) {
            String id = sweep + "-" + (i + 1);
            seed.trial(id, "run " + (i + 1) + " of " + sweep, sweep, i + 1, "{\"name\": \"trial\"}",
                    Map.of("optimizer.lr", lr[i], "regularization.dropout", dropout[i], "optimizer.type", "adam",
                            "train.epochs", 3.0));
            RunStatus status = i == 2 ? RunStatus.STOPPED : i == 4 ? RunStatus.FAILED : RunStatus.FINISHED;
            if (status != RunStatus.FAILED) {
                double accuracy = shift + 0.9 - 0.05 * Math.abs(Math.log10(lr[i]) + 3) - 0.05 * dropout[i];
                seed.metric(id, "val_accuracy", 0, 3, s -> accuracy - 0.1 * (2 - s));
                seed.value(id, "val_loss", 2, 1 - accuracy);
            }
            if (i == 2) {
                seed.record(new RungJudged(sweep, 3, 1, 0.6, 0.7, 3, 3, false, "ASHA: below the top third", seed.clock()));
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
    void describesOneSweepsParametersByTheirDomainsAndRanksItsTrialsByTheOneRule() throws Exception {
        JsonObject sweep = new JsonObject(stack.get("/api/sweeps/lr-sweep").body());
        Map<String, JsonObject> params = sweep.getJsonArray("params").stream().map(JsonObject.class::cast)
                .collect(Collectors.toMap(p -> p.getString("name"), Function.identity()));
        assertThat(params.keySet()).containsExactlyInAnyOrder("optimizer.lr", "regularization.dropout");
        assertThat(params.get("optimizer.lr").getString("scale")).isEqualTo("log");
        assertThat(params.get("optimizer.lr").getDouble("min")).as("the domain, not the values").isEqualTo(1e-6);
        assertThat(params.get("regularization.dropout").getString("scale")).isEqualTo("linear");
        assertThat(sweep.getString("best")).isEqualTo("lr-sweep-2");
        JsonArray trials = sweep.getJsonArray("trials");
        assertThat(trials).hasSize(9);
        assertThat(trials.getJsonObject(0).getInteger("trial")).isEqualTo(2);
        assertThat(trials.getJsonObject(0).getInteger("rank")).isEqualTo(1);
        List<Double> values = trials.stream().map(JsonObject.class::cast).filter(t -> t.getInteger("rank") != null)
                .map(t -> t.getJsonObject("run").getJsonObject("metrics").getDouble("val_accuracy")).toList();
        assertThat(values).hasSize(8).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        JsonObject stopped = trials.stream().map(JsonObject.class::cast).filter(t -> t.getInteger("trial") == 3)
                .findFirst().orElseThrow();
        assertThat(stopped.getBoolean("stopped")).isTrue();
        assertThat(stopped.getInteger("stoppedAt")).isEqualTo(1);
        assertThat(stopped.getInteger("rank")).as("ranked by its last value, above worse finished trials").isEqualTo(6);
        assertThat(trials.getJsonObject(8).getJsonObject("run").getString("status")).isEqualTo("FAILED");
        assertThat(trials.getJsonObject(8).getInteger("rank")).isNull();
        assertThat(sweep.getJsonArray("rungs")).singleElement().satisfies(r -> {
            assertThat(((JsonObject) r).getDouble("threshold")).isEqualTo(0.7);
            assertThat(((JsonObject) r).getBoolean("promoted")).isFalse();
        });
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
