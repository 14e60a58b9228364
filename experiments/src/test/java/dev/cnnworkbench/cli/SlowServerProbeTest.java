package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.storage.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code serve} of the home that is alive but slow to answer the first probe (a cold JVM's first TLS handshake on
 * a loaded machine took over 3 s) still gets this process's runs: the run used to open the database itself, find it
 * held by that very server and fail with exit 4, after saying both that the server does not answer and that none
 * is up.
 */
class SlowServerProbeTest {

    @TempDir
    Path home;

    @Test
    void aLiveServerThatAnswersTheProbeSlowlyStillGetsTheRuns() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/api/ingest", exchange -> {
            try {
                Thread.sleep(4_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"accepted\":0,\"skipped\":0,\"durable\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            new ServerFile("http://127.0.0.1:" + slow.getAddress().getPort() + "/", ProcessHandle.current().pid(),
                    ServerFile.newToken(), Host.name(), Database.embeddedUrl(home)).write(home);
            HomeOptions options = new HomeOptions();
            options.home = home;
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            try (LocalStack stack = LocalStack.start(options)) {
                assertThat(stack.serverUrl()).as("runs go to the live server").isPresent();
            }
        } finally {
            System.setErr(err);
            slow.stop(0);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).doesNotContain("no 'workbench serve' is up");
    }
}
