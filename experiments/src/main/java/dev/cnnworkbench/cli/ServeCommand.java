package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StorageVerticle;
import dev.cnnworkbench.web.RunStore;
import dev.cnnworkbench.web.WebServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench serve}: the dashboard and REST API over the run store, until Ctrl-C. The process
 * owns the database: it also deploys the storage verticle, so whatever is published on its event
 * bus is persisted, and runs of dead processes are marked INTERRUPTED on start.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the dashboard and REST API over the recorded runs until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        if (!isLoopback(bind)) {
            System.err.println("warning: listening on " + bind + " lets anyone who can reach this machine read every run;"
                    + " there is no login yet");
        }
        Database db = LocalStack.openDatabase(home);
        Vertx vertx = Vertx.vertx();
        WebServer server = new WebServer(new RunStore(new RunQueries(db)), bind, port);
        try {
            BusCodecs.register(vertx);
            vertx.deployVerticle(new StorageVerticle(db), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
            vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            shutDown(vertx, db);
            throw new IllegalStateException("cannot start the dashboard: " + e.getMessage() + hint(e), e);
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutDown(vertx, db);
            stopped.countDown();
        }, "workbench-serve-stop"));
        System.err.println("serving the runs in " + db.url());
        System.out.println("Dashboard: " + server.url());
        System.err.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private static void shutDown(Vertx vertx, Database db) {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: the server did not stop cleanly: " + e.getMessage());
        } finally {
            db.close();
        }
    }

    private static String hint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return " (is another 'workbench serve' running? choose another --port)";
            }
        }
        return "";
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
