package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.ServerRuns;
import dev.cnnworkbench.cli.work.ServerSweeps;
import dev.cnnworkbench.cluster.ClusterKey;
import dev.cnnworkbench.cluster.ClusterOptions;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.web.WebSecurity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench serve}: the dashboard and REST API over the run store, until Ctrl-C. The process is the home's
 * hub: it owns the database and deploys the storage verticle, so whatever is published on its event bus is persisted,
 * and runs of dead processes are marked INTERRUPTED on start. It writes {@code HOME/hub.json} (its join address and
 * pid; removed on stop), so that every other workbench command started on the same home joins its clustered bus and
 * reads and records through it, and prints the address to join. It also writes {@code HOME/server.json} (its URL and
 * the token of the HTTP ingest, for clients that cannot join the bus). A home owned by another live hub (a running
 * {@code run}) is refused, naming it (exit code 4).
 *
 * <p>Runs and sweeps started from the dashboard or {@code POST /api/runs} train in this process ({@link ServerRuns},
 * at most {@code --web-runs} at once). With {@code --auth} the server is in team mode: only the people added with
 * {@code workbench user add} get in, by logging in or with a personal API token; it refuses to start without any.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the dashboard and REST API over the recorded runs until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Option(names = "--auth", description = "team mode: people log in (workbench user add NAME) or send a personal API"
            + " token; only a run's owner or an admin may rename or delete it")
    boolean auth;

    @Option(names = "--web-runs", paramLabel = "N", defaultValue = "1",
            description = "runs (or sweep trials) started from the dashboard that may train at once in this process"
                    + " (default: ${DEFAULT-VALUE}; 0: none, they wait for workers that joined: './workbench worker')")
    int webRuns;

    @Option(names = "--allow-host", paramLabel = "NAME", description = "also answer requests naming this host (the"
            + " name people type, e.g. behind a proxy; repeatable). Requests naming any other host than the bound"
            + " address, localhost, 127.0.0.1 and [::1] are refused (against DNS rebinding)")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "serve HTTPS with this PEM certificate (chain);"
            + " needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM private key of --tls-cert")
    Path tlsKey;

    @Option(names = "--insecure-http", description = "allow --auth on a non-loopback address without TLS (passwords and"
            + " session cookies then cross the network readable, unless a TLS proxy is in front)")
    boolean insecureHttp;

    @Option(names = "--cluster-bind", paramLabel = "ADDRESS", defaultValue = ClusterOptions.LOOPBACK,
            description = "address the hub's cluster listens on (Hazelcast membership and the TLS event bus; default:"
                    + " ${DEFAULT-VALUE}, this machine only; another machine's workers need an address they can reach)")
    String clusterBind;

    @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "" + ClusterOptions.DEFAULT_PORT,
            description = "the hub's membership port (default: ${DEFAULT-VALUE}; the next free one above is taken)")
    int clusterPort;

    @Option(names = "--bus-port", paramLabel = "PORT", defaultValue = "0",
            description = "the hub's event-bus (TLS) port (default: any free one; name one to open it in a firewall)")
    int busPort;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        if (webRuns < 0) {
            throw new IllegalArgumentException("--web-runs must be >= 0, got " + webRuns);
        }
        WebSecurity security = new WebSecurity(allowHosts, tlsCert, tlsKey);
        checkTheNetwork(security);
        LocalStack stack = LocalStack.startOwner(home, new ClusterOptions(clusterBind, null, clusterPort, busPort,
                List.of(), false));
        // The hook is in place before the server file is written: a Ctrl-C at any moment after that removes it.
        AtomicReference<ServerRuns> launched = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            ServerRuns started = launched.getAndSet(null);
            if (started != null) {
                started.close();
            }
            stack.close();
            stopped.countDown();
        }, "workbench-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        ServerRuns runs = null;
        String url;
        try {
            if (auth && !stack.accounts().any()) {
                throw new IllegalArgumentException("team mode needs at least one user: add one with './workbench user"
                        + " add NAME --admin' (while no server runs on this home), then serve --auth again");
            }
            PluginRegistry plugins = home.plugins();
            runs = launcher(stack, plugins, webRuns);
            launched.set(runs);
            url = stack.serveDashboard(bind, port, plugins, auth, runs, security);
        } catch (Exception e) {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                throw e; // the hook closes what was started
            }
            if (runs != null) {
                runs.close();
            }
            stack.close();
            throw e;
        }
        System.err.println("serving the runs in " + stack.databaseUrl() + (auth ? " in team mode (logins required)" : ""));
        System.out.println("Dashboard: " + url);
        stack.joinAddress().ifPresent(join -> System.out.println("Hub: " + join + "  (join it with the cluster key in "
                + ClusterKey.folder(home.home(), System.getenv()).toAbsolutePath().normalize() + ")"));
        System.err.println("Every workbench command on this home (" + home.home().toAbsolutePath().normalize() + ") in"
                + " other terminals works through this hub; their runs show here live.");
        System.err.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** What trains the runs and sweeps started from the dashboard, on this process's bus and database. */
    static ServerRuns launcher(LocalStack stack, PluginRegistry plugins, int slots) {
        ServerSweeps sweeps = new ServerSweeps(stack, new SpecResolver(plugins), slots);
        return new ServerRuns(stack.bus(), plugins, stack.home(), slots, sweeps);
    }

    /** Refuses logins over plain HTTP on the network unless asked for; warns about an open single-user server. */
    private void checkTheNetwork(WebSecurity security) {
        if (isLoopback(bind) || security.tls()) {
            return;
        }
        if (!auth) {
            System.err.println("warning: listening on " + bind + " lets anyone who can reach this machine read, change and"
                    + " start runs; use --auth (team mode) to require a login");
        } else if (!insecureHttp) {
            throw new IllegalArgumentException("--auth on " + bind + " without TLS would send passwords and session"
                    + " cookies over the network readable: give --tls-cert FILE --tls-key FILE (PEM), or say"
                    + " --insecure-http when a TLS proxy is in front");
        } else {
            System.err.println("note: plain HTTP on " + bind + " (--insecure-http): passwords and session cookies cross"
                    + " the network unencrypted unless a TLS proxy is in front (the cookie is marked Secure when it sends"
                    + " X-Forwarded-Proto: https)");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
