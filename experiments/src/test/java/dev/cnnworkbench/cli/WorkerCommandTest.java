package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workbench worker}: what it needs is checked before it joins anything, each with a one-line error. */
class WorkerCommandTest {

    @TempDir
    Path home;

    @Test
    void refusesAJoinAddressWithoutAPort() {
        InProcessCli.Result r = InProcessCli.run("worker", "--join", "hub.example", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("join address must be HOST:PORT").contains("hub.example");
    }

    @Test
    void withoutTheClusterKeySaysWhereToCopyItFrom() {
        InProcessCli.Result r = InProcessCli.run("worker", "--join", "127.0.0.1:5701", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no cluster key in " + home.resolve("cluster"))
                .contains("copy the hub's HOME/cluster folder").contains("--key DIR");
    }

    @Test
    void withoutAHubToJoinAsksForTheAddress() {
        InProcessCli.Result r = InProcessCli.run("worker", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--join HOST:PORT is needed");
    }

    @Test
    void refusesZeroThreads() {
        InProcessCli.Result r = InProcessCli.run("worker", "--join", "127.0.0.1:5701", "--threads", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--threads must be >= 1, got 0");
    }

    @Test
    void refusesZeroCores() {
        InProcessCli.Result r = InProcessCli.run("worker", "--join", "127.0.0.1:5701", "--cores", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--cores must be >= 1, got 0");
    }
}
