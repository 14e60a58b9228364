package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.ArtifactChunks;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoredArtifact;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two members' homes on one real H2 TCP server, as a team works: member A trains a tiny snapshot-ensemble run into
 * the team database; member B's serve (in this JVM, its own home) hands out A's network from the database, byte for
 * byte; B's command line ensembles A's snapshots, fine-tunes from {@code run:A} and resumes A's run (marked
 * interrupted) with A's files copied into B's home; B deletes A's run and its stored files go with it.
 */
class TeamArtifactsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SPEC = """
            {"name": "%s", "experiment": "team-artifacts",
             "data": {"dataset": "fashion-mnist", "path": "/usr/share/datasets/fashion-mnist", "limit": 200, "test_limit": 100},
             "model": {"input": [1, 28, 28], "init": %s, "layers": [
               {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
               {"type": "maxpool", "kernel": 2, "stride": 2},
               {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "momentum", "lr": 0.05, "momentum": 0.9},
             "schedule": {"type": "snapshot", "cycles": 2},
             "train": {"epochs": 2, "batch": 50, "seed": 1, "validation": 0}%s}""";

    @TempDir
    Path dir;

    private static HomeOptions member(Path home, String url) {
        HomeOptions options = new HomeOptions();
        options.home = home;
        options.db = url;
        return options;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aMembersArtifactsAreServedEnsembledFineTunedAndDeletedFromAnotherMembersHome() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("h2").toString(), "-ifNotExists")
                .start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/team";
        Path homeA = dir.resolve("alice");
        Path homeB = dir.resolve("bob");
        try {
            Path specA = Files.writeString(dir.resolve("a.json"), SPEC.formatted("alice-snapshots", "\"he\"",
                    ", \"ensemble\": {\"type\": \"snapshot\", \"cycles\": 2}"));
            InProcessCli.Result trained = InProcessCli.run("run", specA.toString(), "--home", homeA.toString(), "--db", url);
            assertThat(trained.exitCode()).as(trained.err()).isZero();

            String runA;
            StoredArtifact model;
            try (Database db = Database.open(url, "sa", "")) {
                RunQueries queries = new RunQueries(db);
                runA = queries.listRuns().get(0).id();
                List<StoredArtifact> artifacts = queries.artifacts(runA);
                model = artifacts.stream().filter(a -> a.path().equals(runA + "/model.zip")).findFirst().orElseThrow();
                assertThat(new ArtifactChunks(db).storedOf(runA)).as("every file of A's run is in the team database")
                        .hasSize(artifacts.size());
            }
            byte[] original = Files.readAllBytes(homeA.resolve("artifacts").resolve(model.path()));

            try (LocalStack serve = LocalStack.startOwner(member(homeB, url))) {
                String base = serve.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin());
                HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/artifacts/"
                        + model.id())).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat(download.body()).isEqualTo(original);
                assertThat(sha256(download.body())).isEqualTo(model.sha256());
                assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                        v -> assertThat(v).contains("model.zip"));
                assertThat(homeB.resolve("artifacts").resolve(model.path())).as("served from the database, not copied")
                        .doesNotExist();

                InProcessCli.Result ensemble = InProcessCli.run("ensemble", "--snapshots", runA, "--home",
                        homeB.toString(), "--db", url, "--name", "bob-ensembles-alice");
                assertThat(ensemble.exitCode()).as(ensemble.err()).isZero();
                assertThat(ensemble.out()).contains(runA + "/snapshot-02.zip").contains("ensemble of 2");
                assertThat(RunArtifacts.snapshots(RunArtifacts.dir(homeB, runA))).hasSize(2);

                Path specB = Files.writeString(dir.resolve("b.json"), SPEC.formatted("bob-fine-tunes",
                        "{\"from\": \"run:" + runA + "\", \"freeze\": 1}", ""));
                InProcessCli.Result tuned = InProcessCli.run("run", specB.toString(), "--home", homeB.toString(),
                        "--db", url);
                assertThat(tuned.exitCode()).as(tuned.err()).isZero();
                assertThat(Files.readAllBytes(RunArtifacts.model(RunArtifacts.dir(homeB, runA))))
                        .as("A's network, copied verified into B's home").isEqualTo(original);

                // as if A's machine had gone away during the second epoch, before its checkpoint
                try (Database db = Database.open(url, "sa", ""); var c = db.connection();
                     var interrupted = c.prepareStatement("UPDATE runs SET status = 'INTERRUPTED' WHERE id = ?");
                     var unsaved = c.prepareStatement("DELETE FROM artifacts WHERE path = ?")) {
                    interrupted.setString(1, runA);
                    assertThat(interrupted.executeUpdate()).isEqualTo(1);
                    unsaved.setString(1, runA + "/checkpoint-epoch-002.zip");
                    assertThat(unsaved.executeUpdate()).isEqualTo(1);
                }
                InProcessCli.Result resumed = InProcessCli.run("resume", runA, "--home", homeB.toString(), "--db", url);
                assertThat(resumed.exitCode()).as(resumed.err()).isZero();
                assertThat(resumed.err()).contains("resuming from checkpoint-epoch-001.zip");
                assertThat(RunArtifacts.checkpoints(RunArtifacts.dir(homeB, runA))).isNotEmpty();

                HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs/" + runA))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
                assertThat(new JsonObject(deleted.body()).getInteger("files")).as("B's copies: snapshots, model, checkpoint")
                        .isGreaterThanOrEqualTo(4);
                assertThat(RunArtifacts.dir(homeB, runA)).doesNotExist();
            }
            try (Database db = Database.open(url, "sa", "")) {
                RunQueries queries = new RunQueries(db);
                assertThat(queries.run(runA)).isEmpty();
                assertThat(new ArtifactChunks(db).storedOf(runA)).isEmpty();
                assertThat(new ArtifactChunks(db).stored(model.id()).chunks()).as("A's blobs are gone").isZero();
                RunSummary tunedRun = queries.listRuns().stream().filter(r -> r.name().equals("bob-fine-tunes"))
                        .findFirst().orElseThrow();
                assertThat(new ArtifactChunks(db).storedOf(tunedRun.id())).as("B's own run is stored too").isNotEmpty();
            }
        } finally {
            server.stop();
        }
    }
}
