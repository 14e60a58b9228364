package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow metric journal across a restart, with a real H2 and server: a segment left by a process that acknowledged
 * points and died before its checkpoint is written by the next start, each point once (those already stored are not
 * written again), and then deleted.
 */
class MlflowJournalIT {

    @TempDir
    Path home;

    @Test
    void theNextStartWritesWhatADeadProcessJournaledEachPointOnce() throws Exception {
        String run;
        try (TestStack stack = TestStack.start(home)) {
            run = new JsonObject(post(stack, "runs/create", new JsonObject().put("experiment_id", "0")))
                    .getJsonObject("run").getJsonObject("info").getString("run_id");
            for (int step = 0; step < 2; step++) {
                post(stack, "runs/log-metric", metric(run, step));
            }
            assertThat(steps(stack, run)).containsExactly(0L, 1L);
        }
        // what a process killed after answering steps 1 to 3 leaves: step 1 was committed before the kill, 2 and 3 not
        StringBuilder segment = new StringBuilder("workbench mlflow metric journal 1\n");
        for (int step = 1; step < 4; step++) {
            segment.append(run).append('\t').append(step).append("\t0\t").append(1_700_000_000_000L + step).append('\t')
                    .append(Long.toHexString(Double.doubleToRawLongBits(0.5 * step))).append("\tloss\n");
        }
        Path left = home.resolve("db").resolve("mlflow-journal-" + ProcessHandle.current().pid() + "-1-99.log");
        Files.writeString(left, segment);

        try (TestStack stack = TestStack.start(home)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (Files.exists(left) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(left).as("the replayed segment is deleted once committed").doesNotExist();
            assertThat(steps(stack, run)).containsExactly(0L, 1L, 2L, 3L);
            JsonArray history = new JsonObject(stack.send("POST", "/api/2.0/mlflow/metrics/get-history",
                    new JsonObject().put("run_id", run).put("metric_key", "loss").encode()).body()).getJsonArray("metrics");
            assertThat(history.getJsonObject(3).getDouble("value")).isEqualTo(1.5);
            assertThat(history.getJsonObject(3).getLong("timestamp")).isEqualTo(1_700_000_000_003L);
            // the new process journals its own calls, and its checkpoint empties the journal
            post(stack, "runs/log-metric", metric(run, 4));
            assertThat(steps(stack, run)).containsExactly(0L, 1L, 2L, 3L, 4L);
            while (segments().size() > 0 && System.currentTimeMillis() < deadline + 10_000) {
                Thread.sleep(50);
            }
            assertThat(segments()).as("committed segments are deleted").isEmpty();
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("db"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("mlflow-journal-")).toList();
        }
    }

    private static JsonObject metric(String run, int step) {
        return new JsonObject().put("run_id", run).put("key", "loss").put("value", 0.5 * step)
                .put("timestamp", 1_700_000_000_000L + step).put("step", step);
    }

    private static String post(TestStack stack, String path, JsonObject body) throws Exception {
        var r = stack.send("POST", "/api/2.0/mlflow/" + path, body.encode());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static List<Long> steps(TestStack stack, String run) throws Exception {
        JsonArray metrics = new JsonObject(post(stack, "metrics/get-history", new JsonObject().put("run_id", run)
                .put("metric_key", "loss"))).getJsonArray("metrics", new JsonArray());
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            steps.add(metrics.getJsonObject(i).getLong("step"));
        }
        return steps;
    }
}
