package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a team's database on another server (a real H2 TCP server) there is no local journal: a log-metric is answered
 * once the storage has committed it, so the point is in the database the moment the 200 arrives.
 */
class MlflowTeamDatabaseIT {

    @TempDir
    Path dir;

    @Test
    void aLogMetricIsCommittedInTheTeamDatabaseWhenAnswered() throws Exception {
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("h2").toString(), "-ifNotExists")
                .start();
        Database db = Database.open("jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/team", "sa", "");
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx);
            vertx.deployVerticle(new StorageVerticle(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
            WebServer server = new WebServer(new RunStore(new RunQueries(db), dir.resolve("artifacts"), new RunWriter(db)),
                    "127.0.0.1", 0);
            vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.port() + "/api/2.0/mlflow/";
            HttpClient http = HttpClient.newHttpClient();
            String run = new JsonObject(post(http, base + "runs/create", new JsonObject().put("experiment_id", "0")))
                    .getJsonObject("run").getJsonObject("info").getString("run_id");
            RunQueries queries = new RunQueries(db);
            for (int step = 0; step < 5; step++) {
                post(http, base + "runs/log-metric", new JsonObject().put("run_id", run).put("key", "loss")
                        .put("value", 0.25 * step).put("timestamp", 1_700_000_000_000L + step).put("step", step));
                assertThat(queries.history(run, "loss")).as("committed when answered").hasSize(step + 1)
                        .last().isEqualTo(new MetricPoint("loss", step, 0, 1_700_000_000_000L + step, 0.25 * step));
            }
            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("mlflow-journal-")))
                        .as("no journal for a database of another server").isEmpty();
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
            db.close();
            h2.stop();
        }
    }

    private static String post(HttpClient http, String url, JsonObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
