package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.web.bench.HeadlessChromium;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * MLflow's own Java client ({@code org.mlflow:mlflow-client}) against a real server with a real H2: what it logs is a
 * workbench run (checked through the workbench's REST API and on the run page in headless Chromium), and what the
 * workbench recorded is readable by it.
 */
class MlflowClientIT {

    @TempDir
    static Path home;
    static TestStack stack;
    static MlflowClient mlflow;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home);
        mlflow = new MlflowClient("http://127.0.0.1:" + stack.server.port());
    }

    @AfterAll
    static void stop() {
        if (mlflow != null) {
            mlflow.close();
        }
        stack.close();
    }

    static Service.Metric metric(String key, double value, long step) {
        return Service.Metric.newBuilder().setKey(key).setValue(value).setTimestamp(1_700_000_000_000L + step).setStep(step)
                .build();
    }

    @Test
    void aRunLoggedByTheMlflowClientIsAWorkbenchRunOnItsApiAndPage() throws Exception {
        String experiment = mlflow.createExperiment("mlflow-mnist");
        assertThat(mlflow.getExperimentByName("mlflow-mnist")).hasValueSatisfying(e ->
                assertThat(e.getExperimentId()).isEqualTo(experiment));
        Service.RunInfo info = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId(experiment)
                .setRunName("mlp-from-mlflow").build());
        String id = info.getRunId();
        assertThat(info.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        mlflow.logParam(id, "lr", "0.01");
        mlflow.logParam(id, "optimizer", "adam");
        for (int step = 0; step < 50; step++) {
            mlflow.logMetric(id, "train_loss", 2.0 / (1 + step), 1_700_000_000_000L + step, step);
        }
        List<Service.Metric> accuracy = new ArrayList<>();
        for (int step = 0; step < 10; step++) {
            accuracy.add(metric("val_accuracy", 0.5 + step * 0.05, step * 5L));
        }
        mlflow.logBatch(id, accuracy, List.of(Service.Param.newBuilder().setKey("batch_size").setValue("64").build()),
                List.of(Service.RunTag.newBuilder().setKey("team").setValue("vision").build()));
        mlflow.setTag(id, "baseline", "");
        mlflow.setTerminated(id, Service.RunStatus.FINISHED, 1_700_000_100_000L);

        Service.Run run = mlflow.getRun(id);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isEqualTo(1_700_000_100_000L);
        assertThat(run.getInfo().getRunName()).isEqualTo("mlp-from-mlflow");
        assertThat(run.getData().getParamsList().stream().collect(Collectors.toMap(Service.Param::getKey,
                Service.Param::getValue))).containsExactlyInAnyOrderEntriesOf(Map.of("lr", "0.01", "optimizer", "adam",
                "batch_size", "64"));
        Map<String, Double> latest = run.getData().getMetricsList().stream().collect(Collectors.toMap(Service.Metric::getKey,
                Service.Metric::getValue));
        assertThat(latest).containsEntry("train_loss", 2.0 / 50).containsEntry("val_accuracy", 0.95);
        assertThat(run.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey,
                Service.RunTag::getValue))).containsEntry("team", "vision").containsEntry("baseline", "")
                .containsEntry("mlflow.runName", "mlp-from-mlflow");

        List<Service.Metric> history = mlflow.getMetricHistory(id, "train_loss");
        assertThat(history).hasSize(50);
        assertThat(history.get(7).getStep()).isEqualTo(7);
        assertThat(history.get(7).getValue()).isEqualTo(2.0 / 8);
        assertThat(history.get(7).getTimestamp()).isEqualTo(1_700_000_000_007L);

        assertThat(ids(mlflow.searchRuns(List.of(experiment), "metrics.val_accuracy > 0.9 and params.lr = '0.01'")))
                .containsExactly(id);
        assertThat(ids(mlflow.searchRuns(List.of(experiment), "tags.team = 'vision' AND attributes.status = 'FINISHED'")))
                .containsExactly(id);
        assertThat(mlflow.searchRuns(List.of(experiment), "metrics.val_accuracy > 0.99")).isEmpty();
        assertThat(mlflow.searchRuns(List.of(experiment), "tags.team = 'audio'")).isEmpty();

        // the workbench's own API: the same run, params, latest metrics, plain tag and series
        JsonObject wb = new JsonObject(stack.get("/api/runs/" + id).body());
        assertThat(wb.getString("status")).isEqualTo("FINISHED");
        assertThat(wb.getString("experiment")).isEqualTo("mlflow-mnist");
        assertThat(wb.getJsonObject("params").getValue("lr")).isEqualTo(0.01);
        assertThat(wb.getJsonObject("metrics").getDouble("val_accuracy")).isEqualTo(0.95);
        assertThat(wb.getJsonArray("tags")).contains("baseline");
        JsonObject series = new JsonObject(stack.get("/api/runs/" + id + "/metrics?points=1000").body());
        assertThat(series.getJsonObject("metrics").getJsonObject("train_loss").getJsonArray("step")).hasSize(50);

        // and once in the browser: the run page shows the MLflow run's metric
        String missing = HeadlessChromium.missing();
        if (missing != null) {
            fail(missing);
        }
        try (HeadlessChromium browser = HeadlessChromium.start(home.resolve("profile"))) {
            browser.driver.get(stack.url("/run.html?id=" + id));
            new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d ->
                    "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            assertThat(browser.driver.findElement(By.id("run-name")).getText()).isEqualTo("mlp-from-mlflow");
            assertThat(browser.driver.findElement(By.cssSelector("#latest tr[data-metric=val_accuracy]")).getText())
                    .contains("val_accuracy", "0.95");
        }
    }

    @Test
    void anMlflowRunStreamsLiveToTheDashboard() throws Exception {
        try (SseClient sse = new SseClient(stack.http, stack.url("/api/stream"))) {
            String id = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId("0").setRunName("live-mlflow")
                    .build()).getRunId();
            mlflow.logMetric(id, "train_loss", 0.75, 1_700_000_000_000L, 3);
            mlflow.setTerminated(id, Service.RunStatus.KILLED);
            List<SseClient.Event> events = sse.until("run-ended", Duration.ofSeconds(20)).stream()
                    .filter(e -> id.equals(e.data().getString("runId"))).toList();
            assertThat(events).extracting(SseClient.Event::name).containsExactly("run-started", "metrics", "run-ended");
            assertThat(events.get(0).data().getString("name")).isEqualTo("live-mlflow");
            assertThat(events.get(1).data().getJsonObject("metrics").getJsonObject("train_loss").getJsonArray("value"))
                    .containsExactly(0.75);
            assertThat(events.get(2).data().getString("status")).isEqualTo("STOPPED");
        }
    }

    @Test
    void workbenchRunsAreReadableByTheMlflowClient() {
        stack.startRun("wb-run", "lenet-adam", Map.of("optimizer.lr", 0.001, "optimizer.type", "adam"));
        stack.metrics("wb-run", "train_loss", 0, 20, s -> 1.0 / (1 + s));
        stack.endRun("wb-run", RunStatus.STOPPED, "diverged");
        stack.flush();

        Service.Experiment lenet = mlflow.getExperimentByName("lenet").orElseThrow();
        Service.Run run = mlflow.getRun("wb-run");
        assertThat(run.getInfo().getExperimentId()).isEqualTo(lenet.getExperimentId());
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.KILLED);
        assertThat(run.getInfo().getUserId()).isEqualTo("tester");
        assertThat(run.getData().getParamsList()).extracting(Service.Param::getKey).contains("optimizer.lr", "optimizer.type");
        assertThat(mlflow.getMetricHistory("wb-run", "train_loss")).hasSize(20);
        assertThat(ids(mlflow.searchRuns(List.of(lenet.getExperimentId()), "params.optimizer.type = 'adam'")))
                .contains("wb-run");
    }

    @Test
    void deletedRunsLeaveTheActiveViewAndComeBackOnRestore() {
        String experiment = mlflow.createExperiment("mlflow-lifecycle");
        String keep = mlflow.createRun(experiment).getRunId();
        String gone = mlflow.createRun(experiment).getRunId();
        mlflow.deleteRun(gone);
        assertThat(ids(mlflow.searchRuns(List.of(experiment), ""))).containsExactly(keep);
        assertThat(ids(mlflow.searchRuns(List.of(experiment), "", Service.ViewType.DELETED_ONLY))).containsExactly(gone);
        assertThatThrownBy(() -> mlflow.logMetric(gone, "loss", 1.0)).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE", "'active' state"));
        mlflow.restoreRun(gone);
        assertThat(ids(mlflow.searchRuns(List.of(experiment), ""))).containsExactlyInAnyOrder(keep, gone);

        // pages of one run each, in start order
        RunsPage first = mlflow.searchRuns(List.of(experiment), "", Service.ViewType.ACTIVE_ONLY, 1,
                List.of("attributes.start_time ASC"));
        assertThat(first.getItems()).hasSize(1);
        assertThat(first.hasNextPage()).isTrue();
        RunsPage second = (RunsPage) first.getNextPage();
        assertThat(second.getItems()).hasSize(1);
        assertThat(List.of(first.getItems().get(0).getInfo().getRunId(), second.getItems().get(0).getInfo().getRunId()))
                .containsExactlyInAnyOrder(keep, gone);
    }

    @Test
    void refusalsComeInMlflowsShapeWithItsStatusCodes() throws Exception {
        assertThatThrownBy(() -> mlflow.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
        mlflow.createExperiment("mlflow-twice");
        assertThatThrownBy(() -> mlflow.createExperiment("mlflow-twice")).isInstanceOfSatisfying(MlflowHttpException.class,
                e -> assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS"));
        String id = mlflow.createRun().getRunId();
        mlflow.logParam(id, "lr", "0.1");
        assertThatThrownBy(() -> mlflow.logParam(id, "lr", "0.2")).isInstanceOfSatisfying(MlflowHttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE", "lr");
        });

        HttpResponse<String> bad = stack.send("POST", "/api/2.0/mlflow/runs/log-metric",
                "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": 1.0}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("error_code")).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(new JsonObject(bad.body()).getString("message")).contains("timestamp");
        HttpResponse<String> filter = stack.send("POST", "/api/2.0/mlflow/runs/search",
                "{\"filter\": \"metrics.loss >> 1\"}");
        assertThat(filter.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(filter.body()).getString("message")).contains("position");
        HttpResponse<String> artifacts = stack.send("GET", "/api/2.0/mlflow-artifacts/artifacts/0/" + id + "/a.txt", null);
        assertThat(artifacts.statusCode()).isEqualTo(501);
        assertThat(new JsonObject(artifacts.body()).getString("error_code")).isEqualTo("NOT_IMPLEMENTED");
        HttpResponse<String> unknown = stack.send("POST", "/api/2.0/mlflow/registered-models/create", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("error_code")).isEqualTo("ENDPOINT_NOT_FOUND");
    }

    @Test
    void aBatchOfAThousandMetricsPassesTheBodyLimitAndIsReadBack() throws Exception {
        String id = mlflow.createRun().getRunId();
        JsonArray metrics = new JsonArray();
        for (int i = 0; i < 1000; i++) {
            metrics.add(new JsonObject().put("key", "val_loss_with_a_long_name").put("value", 1.0 / (i + 1))
                    .put("timestamp", 1_700_000_000_000L + i).put("step", i));
        }
        String body = new JsonObject().put("run_id", id).put("metrics", metrics).encode();
        assertThat(body.length()).isGreaterThan((int) WebServer.BODY_LIMIT);
        HttpResponse<String> r = stack.send("POST", "/api/2.0/mlflow/runs/log-batch", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(mlflow.getMetricHistory(id, "val_loss_with_a_long_name")).hasSize(1000);

        metrics.add(metrics.getJsonObject(0));
        HttpResponse<String> tooMany = stack.send("POST", "/api/2.0/mlflow/runs/log-batch",
                new JsonObject().put("run_id", id).put("metrics", metrics).encode());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(tooMany.body()).getString("message")).contains("at most 1000 metrics");
    }

    private static List<String> ids(List<Service.RunInfo> runs) {
        return runs.stream().map(Service.RunInfo::getRunId).toList();
    }
}
