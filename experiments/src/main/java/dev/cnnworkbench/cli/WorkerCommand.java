package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cluster.ClusterKey;
import dev.cnnworkbench.cluster.ClusterMember;
import dev.cnnworkbench.cluster.ClusterOptions;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.cluster.HubLink;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.worker.JobRunner;
import dev.cnnworkbench.core.worker.WorkerNode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench worker --join HOST:PORT}: adds this machine's cores to a hub. Joins the hub's cluster with the
 * cluster key, then trains the sweep trials and queued runs the hub's queue hands it, {@code --threads} at once, until
 * Ctrl-C. Its runs' metrics and files go to the hub's home; it keeps nothing the hub needs. When it stops or dies,
 * the hub hands its runs to another worker, which resumes them from their last checkpoint.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Add this machine's cores to a hub (serve, or whichever workbench process owns the home):"
                + " train the sweep trials and queued runs it hands out, until Ctrl-C.",
            "Needs the hub's cluster key: the folder HOME/cluster of the hub's home, copied here (--key DIR, or"
                + " $WORKBENCH_CLUSTER_KEY, else this home's cluster folder), and the data its runs read, at the same paths."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--join", paramLabel = "HOST:PORT", split = ",",
            description = {"the hub's join address, as 'serve' prints it (default: the hub of --home on this machine).",
                "Several, comma-separated, where the hub may come back at another address (another machine, another"
                    + " --cluster-port): while no hub is up the worker keeps its runs' points and looks at each"
                    + " address every few seconds, and hands everything to whichever hub answers."})
    List<String> join;

    @Option(names = "--threads", paramLabel = "N", description = "runs trained at once (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    int threads;

    @Option(names = "--cores", paramLabel = "N", description = "cores its runs use together (default: all of this"
            + " machine's; give each worker its share when several run on one machine)")
    Integer cores;

    @Option(names = "--key", paramLabel = "DIR", description = "folder holding the hub's cluster key"
            + " (cluster-cert.pem, cluster-key.pem)")
    Path key;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ClusterOptions.LOOPBACK,
            description = "the address this worker listens on for the cluster; another machine's hub must reach it"
                    + " (default: ${DEFAULT-VALUE}, a hub on this machine only)")
    String bind;

    @Option(names = "--bus-port", paramLabel = "PORT", defaultValue = "0",
            description = "the event bus's TLS port (default: any free one; name one to open it in a firewall)")
    int busPort;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (cores != null && cores < 1) {
            throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
        }
        Path homeDir = home.home();
        HubFile localHub = HubFile.read(homeDir);
        List<String> addresses = join != null ? join.stream().map(ClusterOptions::joinAddress).toList()
                : localHub != null ? List.of(localHub.join()) : List.of();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("--join HOST:PORT is needed: no hub runs for " + homeDir
                    + " (start one with './workbench serve' and give the address it prints)");
        }
        Path keyDir = key != null ? key : ClusterKey.folder(homeDir, System.getenv());
        if (!Files.isRegularFile(keyDir.resolve(ClusterKey.CERT_FILE))) {
            throw new IllegalArgumentException("no cluster key in " + keyDir + ": copy the hub's HOME/cluster folder to"
                    + " this machine (e.g. scp -r HUB:HOME/cluster " + keyDir + ") or name it with --key DIR");
        }
        ClusterKey clusterKey = ClusterKey.load(keyDir);
        Files.createDirectories(homeDir);
        boolean sharedHome = localHub != null && addresses.contains(localHub.join()) && localHub.onThisMachine();
        String address = String.join(",", addresses);
        // a full member, not a lite one: left alone by a hub that died, it merges cleanly with the next (ClusterOptions)
        ClusterMember member = ClusterMember.start(new ClusterOptions(bind, null, ClusterOptions.DEFAULT_PORT, busPort,
                addresses, false), clusterKey, Duration.ofSeconds(60));
        CountDownLatch stopped = new CountDownLatch(1);
        // the runs' events go through this process's local bus and a HubLink, in order, to the hub (ProcessBuses)
        Vertx local = Vertx.vertx();
        BusCodecs.register(local);
        try {
            SweepCodecs.register(member.vertx().eventBus());
            local.deployVerticle(HubLink.toHub(address, member)).await(30, TimeUnit.SECONDS);
            String id = Host.name() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 4);
            JobRunner runner = new JobRunner(new ProcessBuses(local.eventBus(), member.vertx().eventBus()),
                    new SpecResolver(home.plugins()), homeDir, sharedHome);
            WorkerNode node = new WorkerNode(id, member.nodeId(), threads, homeDir, runner, () -> {
                System.err.println("the hub gave this worker up (it was silent too long) and handed its runs to other"
                        + " workers; stopping, so they are not trained twice. Start the worker again to rejoin.");
                Runtime.getRuntime().halt(1);
            });
            if (cores != null) {
                node.withCores(cores);
            }
            member.vertx().deployVerticle(node).await(60, TimeUnit.SECONDS);
            System.err.println("worker " + id + " joined the hub at " + address + " with " + threads + " thread(s)"
                    + (sharedHome ? "; it shares the hub's home " + homeDir : "; runs' files go to the hub's home")
                    + ". Press Ctrl-C to stop.");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                close(local, member);
                stopped.countDown();
            }, "workbench-worker-stop"));
            stopped.await();
            return 0;
        } catch (Exception e) {
            close(local, member);
            throw e;
        }
    }

    /** Hands what is left to the hub (up to HubLink's wait), then leaves the cluster. */
    private static void close(Vertx local, ClusterMember member) {
        try {
            local.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: the worker's bus did not stop cleanly: " + e.getMessage());
        }
        member.close();
    }
}
