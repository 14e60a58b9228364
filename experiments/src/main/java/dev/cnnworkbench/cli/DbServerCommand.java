package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.TeamDatabaseServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench db-server}: a team's shared run history, served by H2 over TCP until Ctrl-C. */
@Command(name = "db-server", mixinStandardHelpOptions = true,
        description = {"Serve a team database over TCP (H2), until Ctrl-C.",
            "The password comes from WORKBENCH_DB_PASSWORD or --password-file (never a default); clients use",
            "  WORKBENCH_DB=jdbc:h2:tcp://HOST:PORT/workbench WORKBENCH_DB_PASSWORD=... ./workbench run ..."})
final class DbServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "interface to listen on (default: ${DEFAULT-VALUE}: this machine only; 0.0.0.0: every interface)")
    String bind;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the team database lives (default: HOME/team-db)")
    Path dir;

    @Option(names = "--password-file", paramLabel = "FILE", description = "a file whose first line is the password")
    Path passwordFile;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        String user = System.getenv().getOrDefault("WORKBENCH_DB_USER", "sa");
        try (TeamDatabaseServer server = TeamDatabaseServer.start(dir != null ? dir : home.home().resolve("team-db"),
                bind, port, user, password())) {
            System.out.println("team database served at " + server.clientUrl() + " (user " + user + ")");
            System.out.println("clients: WORKBENCH_DB=" + server.clientUrl()
                    + " WORKBENCH_DB_PASSWORD=... ./workbench run SPEC; Ctrl-C stops the server");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "db-server-stop"));
            stopped.await();
        }
        return 0;
    }

    private String password() throws IOException {
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile)) {
                throw new IllegalArgumentException("--password-file: cannot read " + passwordFile);
            }
            return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        }
        return System.getenv("WORKBENCH_DB_PASSWORD");
    }
}
