package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cluster.ClusterKey;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code workbench cluster ...}: the cluster of a home's hub and the processes and machines that join it. */
@Command(name = "cluster", mixinStandardHelpOptions = true, subcommands = ClusterCommand.Init.class,
        description = {"The cluster of a home: its hub (the process that owns the store) and the processes and"
                + " machines that join it over the event bus (TLS, with the home's cluster key)."})
final class ClusterCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("cluster: name a subcommand (init)");
    }

    /** {@code workbench cluster init}: makes the home's cluster key (done by the first hub otherwise). */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Make the home's cluster key (HOME/cluster, or $WORKBENCH_CLUSTER_KEY): a certificate and"
                    + " private key, readable by you only, that every member of the cluster must hold. Copy the"
                    + " folder to each machine that joins. The first hub of a home makes one when there is none."})
    static final class Init implements Callable<Integer> {

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() throws Exception {
            Path dir = ClusterKey.folder(home.home(), System.getenv());
            try {
                ClusterKey key = ClusterKey.create(dir);
                System.out.println("made the cluster key in " + dir + " (fingerprint " + key.fingerprint() + ")");
                System.out.println("copy that folder to every machine that joins this cluster, and keep it private");
                return 0;
            } catch (FileAlreadyExistsException e) {
                ClusterKey key = ClusterKey.load(dir);
                System.out.println(dir + " already holds a cluster key (fingerprint " + key.fingerprint() + "); kept it:"
                        + " its members would lose their key. Delete the folder first to make another.");
                return 0;
            }
        }
    }
}
