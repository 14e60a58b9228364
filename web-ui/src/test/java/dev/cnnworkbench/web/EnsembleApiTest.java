package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/ensembles} and {@code GET /api/ensembles/RUN}, over runs recorded as the trainer and CLI record them. */
class EnsembleApiTest {

    @TempDir
    static Path home;
    static TestStack stack;

    static final String SNAPSHOT_SPEC = "{\"name\": \"snap\", \"schedule\": {\"type\": \"snapshot\", \"cycles\": 5},"
            + " \"ensemble\": {\"type\": \"snapshot\", \"cycles\": 5}}";

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        Seeder seed = new Seeder(stack.db);
        seedSnapshotRun(seed, "snap", 100, 5);
        // snapshots saved as artifacts, then scored by `workbench ensemble --snapshots snap2`
        seed.start("snap2", "snap2", "lenet", "{\"schedule\": {\"type\": \"snapshot\", \"cycles\": 3}}", Map.of())
                .metric("snap2", "lr", 0, 90, s -> 0.05 * (Math.cos(Math.PI * (s % 30) / 30) + 1) / 2)
                .artifact("snap2", "snapshot", "snapshot-1.zip", 30).artifact("snap2", "snapshot", "snapshot-2.zip", 60)
                .artifact("snap2", "snapshot", "snapshot-3.zip", 90).end("snap2", RunStatus.FINISHED);
        seed.start("ens", "ensemble-snapshot-3", "lenet", "{\"ensemble\": {\"type\": \"snapshot\", \"members\":"
                        + " [\"snap2/snapshot-3.zip\", \"snap2/snapshot-2.zip\", \"snap2/snapshot-1.zip\"]}}",
                Map.of("ensemble.type", "snapshot", "ensemble.size", 3.0));
        ensembleMetrics(seed, "ens", List.of(0.86, 0.85, 0.80), List.of(0.86, 0.875, 0.88), "snapshot", "snap2",
                List.of("snap2/snapshot-3.zip", "snap2/snapshot-2.zip", "snap2/snapshot-1.zip"));
        seed.end("ens", RunStatus.FINISHED);
        seed.start("indep", "ensemble-independent-2", "ensembles", "{\"ensemble\": {\"type\": \"independent\","
                + " \"members\": [\"run-a\", \"run-b\"]}}", Map.of("ensemble.type", "independent"));
        seed.start("run-a", "run-a", "lenet", "{}", Map.of("train.epochs", 4.0)).end("run-a", RunStatus.FINISHED)
                .start("run-b", "run-b", "lenet", "{}", Map.of("train.epochs", 6.0)).end("run-b", RunStatus.FINISHED);
        ensembleMetrics(seed, "indep", List.of(0.84, 0.83), List.of(0.84, 0.86), "independent", null,
                List.of("run-a", "run-b"));
        seed.end("indep", RunStatus.FINISHED);
        seed.start("plain", "plain", "lenet", "{}", Map.of()).value("plain", "val_accuracy", 0, 0.8).end("plain", RunStatus.FINISHED);
    }

    /** A snapshot-ensemble training run: cosine cycles over {@code iterations}, members newest first, as the trainer records it. */
    static void seedSnapshotRun(Seeder seed, String id, int iterations, int cycles) {
        int length = (iterations + cycles - 1) / cycles;
        seed.start(id, id, "snapshot-ensemble", SNAPSHOT_SPEC, Map.of("schedule.type", "snapshot"))
                .metric(id, "lr", 0, iterations, s -> 0.05 / 2 * (Math.cos(Math.PI * (s % length) / length) + 1))
                .metric(id, "train_loss", 0, iterations, s -> 2.3 * Math.exp(-s / 40.0) + 0.1);
        List<Double> members = List.of(0.88, 0.87, 0.86, 0.84, 0.79);
        List<Double> byMembers = List.of(0.88, 0.893, 0.899, 0.901, 0.9);
        List<String> labels = new java.util.ArrayList<>();
        for (int k = cycles; k >= 1; k--) {
            labels.add(String.format("snapshot %d (iteration %d)", k, Math.min(k * length, iterations)));
        }
        ensembleMetrics(seed, id, members.subList(0, cycles), byMembers.subList(0, cycles), "snapshot", id, labels);
        seed.end(id, RunStatus.FINISHED);
    }

    /**
     * What an ensemble's scoring run records: its summary metrics, and the ensemble's record (members newest first
     * for snapshots: snapshot files of {@code source}; for independent ensembles: runs named by {@code labels}).
     */
    static void ensembleMetrics(Seeder seed, String id, List<Double> members, List<Double> byMembers, String kind,
                                String source, List<String> labels) {
        double best = members.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double all = byMembers.get(byMembers.size() - 1);
        seed.value(id, "ensemble_test_accuracy", 99, all).value(id, "ensemble_best_member_accuracy", 99, best)
                .value(id, "ensemble_gain", 99, all - best).value(id, "ensemble_mcnemar_p", 99, 0.03)
                .value(id, "ensemble_members", 99, members.size());
        List<EnsembleRecorded.Member> ms = new java.util.ArrayList<>();
        List<EnsembleRecorded.Prefix> prefixes = new java.util.ArrayList<>();
        int bestAt = members.indexOf(best);
        for (int k = 0; k < members.size(); k++) {
            String label = labels.get(k);
            boolean file = label.endsWith(".zip");
            ms.add(new EnsembleRecorded.Member(file ? label.substring(0, label.indexOf('/')) : source == null ? label : source,
                    file ? label : null, file ? "ab".repeat(32) : null, label, members.get(k), 0.5));
            prefixes.add(new EnsembleRecorded.Prefix(k + 1, byMembers.get(k), 0.4));
        }
        seed.record(new EnsembleRecorded("e-" + id, id, "ensemble of " + id, kind, "snapshot".equals(kind) ? source : null,
                null, "mean-softmax", "test", 1000, all, 0.4, bestAt, "mcnemar-exact", 30, 12, 0.03, ms, prefixes,
                seed.clock() + 100));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonObject get(String path) throws Exception {
        var response = stack.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    @Test
    void listsTheRunsThatRecordedAnEnsemble() throws Exception {
        JsonArray ensembles = get("/api/ensembles").getJsonArray("ensembles");
        assertThat(ensembles.stream().map(e -> ((JsonObject) e).getString("runId")))
                .containsExactly("indep", "ens", "snap");
        JsonObject snap = ensembles.getJsonObject(2);
        assertThat(snap.getString("type")).isEqualTo("snapshot");
        assertThat(snap.getDouble("accuracy")).isEqualTo(0.9);
        assertThat(snap.getDouble("bestMemberAccuracy")).isEqualTo(0.88);
        assertThat(snap.getInteger("members")).isEqualTo(5);
        assertThat(snap.getString("combination")).isEqualTo("mean-softmax");
        JsonObject indep = ensembles.getJsonObject(0);
        assertThat(indep.getDouble("budgetEpochs")).as("the members' runs, each once").isEqualTo(10.0);
    }

    @Test
    void aSnapshotRunShowsItsMembersItsCurveAndTheSnapshotPointsOnItsLearningRate() throws Exception {
        JsonObject snap = get("/api/ensembles/snap");
        JsonArray members = snap.getJsonArray("memberResults");
        assertThat(members).hasSize(5);
        assertThat(members.getJsonObject(0).getString("label")).isEqualTo("snapshot 5 (iteration 100)");
        assertThat(members.getJsonObject(4).getString("label")).isEqualTo("snapshot 1 (iteration 20)");
        assertThat(members.getJsonObject(4).getDouble("accuracy")).isEqualTo(0.79);
        assertThat(snap.getJsonArray("byMembers").getJsonObject(3).getInteger("members")).isEqualTo(4);
        assertThat(snap.getJsonArray("byMembers").getJsonObject(3).getDouble("accuracy")).isEqualTo(0.901);
        JsonObject snapshot = snap.getJsonObject("snapshot");
        assertThat(snapshot.getString("runId")).isEqualTo("snap");
        assertThat(snapshot.getInteger("cycles")).isEqualTo(5);
        assertThat(snapshot.getLong("iterations")).isEqualTo(100);
        assertThat(snapshot.getJsonArray("points").getList()).containsExactly(20, 40, 60, 80, 100);
        assertThat(snapshot.getJsonObject("lr").getJsonArray("value")).hasSize(100);
    }

    @Test
    void anEnsembleOfSavedSnapshotsShowsTheSourceRunsLearningRateAndItsSnapshots() throws Exception {
        JsonObject ens = get("/api/ensembles/ens");
        assertThat(ens.getJsonArray("memberResults").getJsonObject(0).getString("label")).isEqualTo("snap2/snapshot-3.zip");
        JsonObject snapshot = ens.getJsonObject("snapshot");
        assertThat(snapshot.getString("runId")).isEqualTo("snap2");
        assertThat(snapshot.getJsonArray("points").getList()).containsExactly(30, 60, 90);
    }

    @Test
    void anIndependentEnsembleHasNoSnapshots() throws Exception {
        JsonObject indep = get("/api/ensembles/indep");
        assertThat(indep.getString("type")).isEqualTo("independent");
        assertThat(indep.getValue("snapshot")).isNull();
        assertThat(indep.getJsonArray("memberResults").getJsonObject(1).getString("runId")).isEqualTo("run-b");
    }

    @Test
    void refusesARunWithoutAnEnsemble() throws Exception {
        var plain = stack.get("/api/ensembles/plain");
        assertThat(plain.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(plain.body()).getString("error"))
                .isEqualTo("no ensemble with id 'plain' (nor a run that recorded one)");
        assertThat(stack.get("/api/ensembles/ghost").statusCode()).isEqualTo(404);
    }
}
