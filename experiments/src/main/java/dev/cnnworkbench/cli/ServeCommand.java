package dev.cnnworkbench.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench serve}: the dashboard and REST API over the run store, until Ctrl-C. The process
 * owns the database: it also deploys the storage verticle, so whatever is published on its event
 * bus is persisted, and runs of dead processes are marked INTERRUPTED on start. It writes
 * {@code HOME/server.json} (its URL, pid and an ingest token; removed on stop), so that a {@code run} started
 * on the same home sends its metrics here instead of opening the database. A database held by a running
 * {@code run} is refused with which process holds it (exit code 4).
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
        LocalStack stack = LocalStack.startOwner(home);
        String url;
        try {
            url = stack.serveDashboard(bind, port, home.plugins());
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "workbench-serve-stop"));
        System.err.println("serving the runs in " + stack.databaseUrl());
        System.out.println("Dashboard: " + url);
        System.err.println("Runs started on this home (" + home.home().toAbsolutePath().normalize() + ") in other terminals"
                + " send their metrics here and show live.");
        System.err.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
