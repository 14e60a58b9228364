package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against DNS rebinding: a server on 127.0.0.1 answers only requests that name it (or a name it was given). */
class HostCheckTest {

    @TempDir
    static Path home;
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home, (server, db) -> server.withSecurity(WebSecurity.DEFAULT
                .withAllowedHosts(List.of("Dash.Example"))));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:1", "localhost", "LOCALHOST.", "[::1]", "[0:0:0:0:0:0:0:1]:8080",
        "dash.example", "DASH.EXAMPLE:443"})
    void answersItsOwnNames(String host) throws Exception {
        assertThat(status(request("GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\n"))).as(host).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example",
        "dash.example.evil.example", "[::2]", "0.0.0.0", "127.0.0.2", "evil.example%00localhost"})
    void refusesAnyOtherNameWith421(String host) throws Exception {
        String origin = "http://" + host;
        String response = request("POST /api/runs/x/tags HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(status(response)).as(host).isIn(400, 421);
        assertThat(response).doesNotContain("\tat ");
    }

    @Test
    void refusesARequestWithoutAHost() throws Exception {
        assertThat(status(request("GET /api/runs HTTP/1.0\r\n"))).isIn(400, 421);
    }

    @Test
    void anAllowedHostIsANameNotAUrl() {
        assertThatThrownBy(() -> WebSecurity.DEFAULT.withAllowedHosts(List.of("http://x.example/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-host");
    }

    private static String request(String head) throws Exception {
        String text = head.contains("\r\n\r\n") ? head.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                : head + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", stack.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
