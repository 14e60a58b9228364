package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.cli.home.TeamDatabaseServer;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.StorageException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The team database: a real H2 TCP server, reached by clients with the password only. */
class TeamDatabaseServerTest {

    @TempDir
    Path dir;

    @Test
    void clientsWithThePasswordShareOneHistoryAndNobodyElseGetsIn() throws Exception {
        try (TeamDatabaseServer server = TeamDatabaseServer.start(dir, "127.0.0.1", 0, "sa", "team-secret")) {
            String url = "jdbc:h2:tcp://127.0.0.1:" + server.port() + "/workbench";
            assertThat(server.clientUrl()).isEqualTo(url);
            try (Database writer = Database.open(url, "sa", "team-secret")) {
                new RunWriter(writer).insertRun(new RunStarted("team00000001", "shared", "team", "{}",
                        Map.of("optimizer.lr", 0.001), Map.of(), System.currentTimeMillis(), 1, "elsewhere", "alice"));
            }
            try (Database reader = Database.open(url, "sa", "team-secret")) {
                assertThat(new RunQueries(reader).listRuns()).extracting(r -> r.user()).containsExactly("alice");
            }
            assertThatThrownBy(() -> Database.open(url, "sa", "guess")).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Wrong user name or password");
            assertThatThrownBy(() -> Database.open(url.replace("/workbench", "/another"), "sa", "team-secret"))
                    .as("remote database creation is off").isInstanceOf(StorageException.class)
                    .hasMessageContaining("not found");
        }
    }

    @Test
    void refusesToServeWithoutAPassword() {
        assertThatThrownBy(() -> TeamDatabaseServer.start(dir, "127.0.0.1", 0, "sa", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WORKBENCH_DB_PASSWORD");
    }
}
