package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.home.ServerFile;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.storage.StoredArtifact;
import dev.cnnworkbench.storage.StoredWarning;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes, one home: {@code serve} first then {@code run} in another process (the run goes to the
 * server and streams live), {@code run} first then {@code serve} (a clear error naming the run), the ingest
 * endpoint's token, a stale {@code server.json}, and a run whose server stops while it trains.
 */
class ServeAndRunIT {

    private static final String LENET = "../experiments/lenet5-fashion.json";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private HomeOptions options() {
        HomeOptions options = new HomeOptions();
        options.home = home;
        return options;
    }

    /** The options, once the server at {@code url} is up. */
    private HomeOptions optionsAfter(String url) {
        assertThat(url).startsWith("http://127.0.0.1:");
        return options();
    }

    /** {@code workbench ARGS} in a JVM of its own, on this test's classpath; output to {@code log}. */
    private Process workbench(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        String extension = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        if (extension != null) {
            command.add("-D" + NativeBackend.PLATFORM_EXTENSION + "=" + extension);
        }
        command.add(Workbench.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static HttpResponse<String> ingest(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "api/ingest")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Workbench-Token", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Server-sent events of {@code url} as "name runId", read on a daemon thread. */
    private static List<String> listen(String url) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            String[] name = {"message"};
            try {
                response.body().forEach(line -> {
                    if (line.startsWith("event: ")) {
                        name[0] = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(name[0] + " " + new JsonObject(line.substring(6)).getString("runId"));
                    }
                });
            } catch (RuntimeException closed) {
                // the server stopped
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    @Test
    void serverFirstThenARunInAnotherProcessIsStoredByTheServerAndStreamsLive() throws Exception {
        try (LocalStack server = LocalStack.startOwner(options())) {
            String url = server.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin());
            Path file = ServerFile.path(home);
            ServerFile written = ServerFile.read(home);
            assertThat(written.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(written.url()).isEqualTo(url);
            assertThat(written.token()).matches("[0-9a-f]{64}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            List<String> events = listen(url + "api/stream");
            HttpResponse<String> plugins = HTTP.send(HttpRequest.newBuilder(URI.create(url + "api/plugins")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plugins.body()).as("the dashboard lists the built-in plugins").contains("\"conv2d\"", "\"filters\"");

            Path log = home.resolve("run.log");
            Process run = workbench(log, "run", LENET, "--home", home.toString(), "--set", "train.epochs=1",
                    "--set", "data.limit=128", "--set", "train.validation=64", "--set", "data.test_limit=64",
                    "--set", "name=\"remote-lenet\"");
            assertThat(run.waitFor(300, TimeUnit.SECONDS)).as("the run ends").isTrue();
            String out = read(log);
            assertThat(run.exitValue()).as(out).isZero();
            assertThat(out).contains("sending the runs of this process to it").contains("recording to the workbench serve at " + url)
                    .contains("FINISHED");

            // acknowledged with its end, so in the server's database already: no flush on this side
            RunSummary summary = server.queries().listRuns().get(0);
            assertThat(summary.name()).isEqualTo("remote-lenet");
            assertThat(summary.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(summary.host()).isEqualTo(Host.name());
            assertThat(summary.metrics()).containsKeys("train_loss", "val_accuracy", "test_accuracy");
            assertThat(server.queries().history(summary.id(), "train_loss")).isNotEmpty();

            // its final network, announced in the run's process, is indexed by the server and served from HOME/artifacts
            StoredArtifact model = server.queries().artifacts(summary.id()).stream().filter(a -> a.kind().equals("model"))
                    .findFirst().orElseThrow(() -> new AssertionError("no model artifact: " + server.queries()
                            .artifacts(summary.id())));
            assertThat(model.path()).isEqualTo(summary.id() + "/model.zip");
            HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(url + "api/artifacts/" + model.id()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("Content-Type")).hasValue("application/zip");
            assertThat((long) download.body().length).isEqualTo(model.sizeBytes())
                    .isEqualTo(Files.size(home.resolve("artifacts").resolve(summary.id()).resolve("model.zip")));

            // and the dashboard's live stream saw it start, train and end
            long deadline = System.currentTimeMillis() + 5_000;
            while (!events.contains("run-ended " + summary.id()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(events).containsSubsequence("run-started " + summary.id(), "metrics " + summary.id(),
                    "run-ended " + summary.id());
        }
        assertThat(ServerFile.path(home)).doesNotExist();
    }

    @Test
    void ingestRefusesAWrongTokenAndASecondServerIsRefused() throws Exception {
        try (LocalStack server = LocalStack.startOwner(options())) {
            String url = server.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin());
            String token = ServerFile.read(home).token();
            // one character changed, so never the token itself (a fixed "f" prefix was, when the token began with f)
            String wrongToken = (token.charAt(0) == 'f' ? "e" : "f") + token.substring(1);
            HttpResponse<String> wrong = ingest(url, wrongToken, "[]");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(wrong.body()).getString("error")).contains("X-Workbench-Token");
            assertThat(ingest(url, null, "[]").statusCode()).isEqualTo(401);
            assertThat(ingest(url, token, "[]").statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> LocalStack.startOwner(options())).isInstanceOf(StorageException.class)
                    .hasMessageContaining("already owned by the workbench serve at " + url);
        }
    }

    @Test
    void runFirstThenServeSaysWhichProcessHoldsTheDatabase() throws Exception {
        Path log = home.resolve("run.log");
        Process run = workbench(log, "run", LENET, "--home", home.toString(), "--set", "train.epochs=50",
                "--set", "data.limit=2048", "--set", "train.validation=64", "--set", "data.test_limit=64");
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            // its database open, its data loaded and its run recorded: training has begun (a run stopped while its
            // data is still loading is never recorded, and the INTERRUPTED asserted below would not be there)
            while (!read(log).contains("epoch 1/") && run.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(read(log)).contains("recording to jdbc:h2:file:").contains("loading ").contains("epoch 1/");

            PrintStream original = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> Workbench.commandLine().execute("serve", "--home", home.toString(), "--port", "0"));
            } finally {
                System.setErr(original);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(message).isEqualTo(4);
            assertThat(message).contains("database error: this home (" + home.toAbsolutePath().normalize())
                    .contains("is already owned by the workbench run " + LENET).contains("pid " + run.pid())
                    .contains("stop it")
                    .doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(ServerFile.path(home)).doesNotExist();
        } finally {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly().waitFor();
            }
        }
        // the run, stopped by a signal, recorded that much
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new RunQueries(db).listRuns()).as(read(log)).extracting(RunSummary::status)
                    .containsExactly(RunStatus.INTERRUPTED);
        }
    }

    /** Whether this JVM (and so the serve it starts) ignores SIGINT: signal 2, bit 1 of SigIgn in /proc/self/status. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    @Test
    void serveRemovesItsServerFileWhenInterruptedOrTerminated() throws Exception {
        // Ctrl-C; serve stops the same way on SIGTERM (its shutdown hook). A process started in the background by a
        // non-interactive shell (`cmd &` in a script) inherits SIGINT ignored, and the JVM leaves it ignored: Ctrl-C
        // cannot reach such a serve at all, so there the test sends what a service manager sends.
        for (String signal : new String[] {sigintIgnored() ? "TERM" : "INT"}) {
            Path log = home.resolve("serve-" + signal + ".log");
            Process serve = workbench(log, "serve", "--home", home.toString(), "--port", "0");
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (!Files.exists(ServerFile.path(home)) && serve.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(ServerFile.path(home)).as("serve wrote server.json; its output:%n%s", read(log)).exists();
                // Ctrl-C in a terminal is SIGINT to the process; a service manager sends SIGTERM
                assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(serve.pid())).start().waitFor()).isZero();
                boolean stopped = serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(stopped).as("serve stopped on SIG%s; its output:%n%s", signal, read(log)).isTrue();
                assertThat(ServerFile.path(home)).as("server.json after SIG" + signal).doesNotExist();
            } finally {
                serve.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aStaleHubFileIsRemovedAndTheRunOpensTheDatabaseItselfAsTheNewHub() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        new HubFile("127.0.0.1:9", gone.pid(), Host.name(), Database.embeddedUrl(home), "", "workbench serve").write(home);
        try (LocalStack stack = LocalStack.start(options())) {
            assertThat(stack.hub()).isEmpty();
            assertThat(stack.databaseUrl()).startsWith("jdbc:h2:file:");
            HubFile now = HubFile.read(home);
            assertThat(now.pid()).as("this process is the hub now").isEqualTo(ProcessHandle.current().pid());
            assertThat(stack.joinAddress()).hasValue(now.join());
        }
        assertThat(HubFile.path(home)).doesNotExist();
    }

    @Test
    void aHubThatEndsWhileARunJoinsItIsReplacedByTheRun() throws Exception {
        // a live process in hub.json that never answers on the bus, and ends during the join (which waits 30 s)
        Process ending = new ProcessBuilder("sleep", "5").start();
        new HubFile("127.0.0.1:9", ending.pid(), Host.name(), Database.embeddedUrl(home), "", "workbench run").write(home);
        try (LocalStack stack = LocalStack.start(options())) {
            assertThat(ending.isAlive()).isFalse();
            assertThat(stack.hub()).as("not attached to the ended hub").isEmpty();
            assertThat(HubFile.read(home).pid()).as("this process is the hub now").isEqualTo(ProcessHandle.current().pid());
        } finally {
            ending.destroyForcibly();
        }
    }

    @Test
    void aRunWhoseServerStopsWritesTheRestIntoTheDatabaseItself() throws Exception {
        LocalStack server = LocalStack.startOwner(options());
        boolean serverClosed = false;
        try (LocalStack run = LocalStack.start(optionsAfter(server.serveDashboard("127.0.0.1", 0, PluginRegistry.builtin())))) {
            HubFile hub = run.hub().orElseThrow();
            assertThat(hub.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(run.databaseUrl()).isEqualTo("the " + hub + " (its database " + Database.embeddedUrl(home) + ")");
            long now = System.currentTimeMillis();
            run.bus().publish(Addresses.RUN_STARTED, new RunStarted("fwd-run-1", "forwarded", "fwd", "{}", Map.of("a", 1),
                    Map.of(), now, ProcessHandle.current().pid(), Host.name(), "tester"));
            run.bus().publish(Addresses.RUN_WARNING, new RunWarning("fwd-run-1", "initial_loss", 0, "far from ln(10)", now));
            for (int step = 0; step < 1_500; step++) {
                run.bus().publish(Addresses.METRICS, new MetricBatch("fwd-run-1",
                        List.of(new MetricPoint("train_loss", step, 0, now + step, step == 7 ? Double.NaN : 1.0 / (1 + step)))));
                if (step == 700) {
                    // not sent (the server would refuse its whole batch), and holds nothing up
                    run.bus().publish(Addresses.RUN_ARTIFACT, artifact("fwd-run-1", "../outside.png", step));
                }
            }
            run.bus().publish(Addresses.RUN_ARTIFACT, artifact("fwd-run-1", "fwd-run-1/filters-1499.png", 1_499));
            assertThat(run.flush(Duration.ofSeconds(30))).isEqualTo(1_500L);
            assertThat(server.queries().history("fwd-run-1", "train_loss")).hasSize(1_500);
            assertThat(server.queries().history("fwd-run-1", "train_loss").get(7).value()).isNaN();
            assertThat(server.queries().warnings("fwd-run-1")).extracting(StoredWarning::kind).containsExactly("initial_loss");
            assertThat(server.queries().artifacts("fwd-run-1")).extracting(StoredArtifact::path)
                    .containsExactly("fwd-run-1/filters-1499.png");

            server.close(); // Ctrl-C on the server's terminal, mid-run
            serverClosed = true;
            for (int step = 1_500; step < 1_600; step++) {
                run.bus().publish(Addresses.METRICS, new MetricBatch("fwd-run-1",
                        List.of(new MetricPoint("train_loss", step, 1, now + step, 0.001))));
            }
            run.bus().publish(Addresses.RUN_WARNING, new RunWarning("fwd-run-1", "update_ratio", 1_599, "too big", now + 1));
            run.bus().publish(Addresses.RUN_ARTIFACT, artifact("fwd-run-1", "fwd-run-1/model.zip", 1_600));
            run.bus().publish(Addresses.RUN_ENDED, new RunEnded("fwd-run-1", RunStatus.FINISHED, null, now + 2_000));
            assertThat(run.flush(Duration.ofSeconds(30))).isEqualTo(1_600L);
        } finally {
            if (!serverClosed) {
                server.close();
            }
        }
        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            assertThat(queries.run("fwd-run-1").orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(queries.history("fwd-run-1", "train_loss")).hasSize(1_600);
            assertThat(queries.warnings("fwd-run-1")).extracting(StoredWarning::kind).containsExactly("initial_loss", "update_ratio");
            assertThat(queries.artifacts("fwd-run-1")).extracting(StoredArtifact::path)
                    .containsExactly("fwd-run-1/filters-1499.png", "fwd-run-1/model.zip");
        }
    }

    private static RunArtifact artifact(String runId, String path, long step) {
        return new RunArtifact(runId, "image", path, path, 10 + step, "c".repeat(64), "image/png", step, 0, step);
    }
}
