package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.home.ServerFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --port P} with P taken is a usage error (choose another port): exit 2, one line, no invitation to
 * {@code --debug}; it was exit 1 ("a run failed") with "run again with --debug to see where".
 */
class ServePortTakenTest {

    @TempDir
    Path home;

    @Test
    void aTakenPortIsAUsageError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            InProcessCli.Result r = InProcessCli.run("serve", "--home", home.toString(), "--port",
                    String.valueOf(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains(String.valueOf(taken.getLocalPort()), "choose another --port")
                    .doesNotContain("--debug").doesNotContain("\tat ");
        }
        assertThat(Files.exists(ServerFile.path(home))).as("no server file left behind").isFalse();
    }
}
