package dev.cnnworkbench.cli.work;

import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.JobAccepted;
import dev.cnnworkbench.core.sweep.RunRequest;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkerList;
import dev.cnnworkbench.core.worker.FileDepot;
import dev.cnnworkbench.core.worker.JobRunner;
import dev.cnnworkbench.core.worker.WorkQueue;
import dev.cnnworkbench.core.worker.WorkerNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A hub's side of the workers, once per bus ({@link #on}): its {@link WorkQueue} (trials and queued runs, handed to
 * workers), its {@link FileDepot} (the runs' files workers send and fetch) and the cluster manager's membership
 * events wired to the queue (a worker whose node leaves is lost at once); plus the workers of the hub's own process
 * ({@link #addWorker}), which train in the hub's home. Thread-safe; blocking methods are for command threads.
 */
public final class WorkHub {

    private static final Map<Vertx, WorkHub> HUBS = new WeakHashMap<>();

    /** A worker of the hub's own process. */
    record LocalWorker(String id, String deployment, JobRunner runner) {
    }

    private final Vertx vertx;
    private final EventBus records;
    private final Path home;
    private final Set<String> localIds = ConcurrentHashMap.newKeySet();
    private final boolean joined;

    private WorkHub(Vertx vertx, EventBus records, Path home, boolean joined) {
        this.vertx = vertx;
        this.records = records;
        this.home = home;
        this.joined = joined;
    }

    /**
     * The work hub of {@code vertx}'s bus, whose runs' files live under {@code home} and whose runs' records go to
     * {@code records} (this process's local bus, see {@link ProcessBuses}): deployed on the first call.
     */
    public static synchronized WorkHub on(Vertx vertx, EventBus records, Path home) {
        WorkHub hub = HUBS.get(vertx);
        if (hub == null) {
            hub = start(vertx, records, home);
            HUBS.put(vertx, hub);
        }
        return hub;
    }

    /**
     * The work hub of {@code stack}: the hub's own work queue when {@code stack} joined a hub that has one (serve's),
     * so this process's trials spread over every worker of the hub, this process's included; otherwise one on its
     * {@linkplain LocalStack#workVertx work bus}. Its runs' records go to the stack's local bus.
     */
    public static WorkHub on(LocalStack stack) {
        Optional<Vertx> cluster = stack.joinedCluster();
        if (cluster.isPresent() && queueAnswers(cluster.get().eventBus())) {
            return joining(cluster.get(), stack.bus(), stack.home());
        }
        return on(stack.workVertx(), stack.bus(), stack.home());
    }

    /** The work hub of a hub this process joined, whose queue answers on {@code cluster}'s bus: nothing deployed. */
    private static synchronized WorkHub joining(Vertx cluster, EventBus records, Path home) {
        return HUBS.computeIfAbsent(cluster, v -> new WorkHub(v, records, home, true));
    }

    private static boolean queueAnswers(EventBus bus) {
        SweepCodecs.register(bus);
        try {
            bus.request(WorkAddresses.WORKERS, "", new DeliveryOptions().setSendTimeout(10_000))
                    .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false; // a hub that is no server (a 'run' that opened the database first) has no queue
        }
    }

    /** Whether this is the queue of a hub this process joined (not one of its own). */
    public boolean joined() {
        return joined;
    }

    /** The local bus (its runs' records) and the bus of this hub's work queue (its jobs). */
    public ProcessBuses buses() {
        return new ProcessBuses(records, vertx.eventBus());
    }

    private static WorkHub start(Vertx vertx, EventBus records, Path home) {
        SweepCodecs.register(vertx.eventBus());
        WorkQueue queue = new WorkQueue(home, WorkQueue.LOST_AFTER, records);
        try {
            vertx.deployVerticle(queue).await(30, TimeUnit.SECONDS);
            vertx.deployVerticle(new FileDepot(home), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the hub's work queue: " + e.getMessage(), e);
        }
        ClusterManager manager = ((VertxInternal) vertx).clusterManager();
        if (manager != null) {
            manager.nodeListener(new NodeListener() {
                @Override
                public void nodeAdded(String nodeId) {
                }

                @Override
                public void nodeLeft(String nodeId) {
                    queue.nodeLeft(nodeId);
                }
            });
        }
        return new WorkHub(vertx, records, home, false);
    }

    /** A worker of this process training up to {@code threads} jobs at once in the hub's home. */
    LocalWorker addWorker(SpecResolver resolver, int threads) {
        String id = "hub-" + UUID.randomUUID().toString().substring(0, 8);
        JobRunner runner = new JobRunner(new ProcessBuses(records, vertx.eventBus()), resolver, home, true);
        try {
            String deployment = vertx.deployVerticle(new WorkerNode(id, nodeId(vertx), threads, home, runner, () -> { }))
                    .await(30, TimeUnit.SECONDS);
            localIds.add(id);
            return new LocalWorker(id, deployment, runner);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a worker in the hub: " + e.getMessage(), e);
        }
    }

    /** Takes a worker of this process away (its jobs, if any, go to other workers). */
    void removeWorker(LocalWorker worker) {
        localIds.remove(worker.id());
        try {
            vertx.undeploy(worker.deployment()).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: the hub's worker did not stop: " + e.getMessage());
        }
    }

    /** This process's cluster node id, or {@code null} when its bus is not clustered. */
    static String nodeId(Vertx vertx) {
        ClusterManager manager = ((VertxInternal) vertx).clusterManager();
        return manager == null ? null : manager.getNodeId();
    }

    /**
     * The workers the queue knows now, this process's own left out; 0 when the queue does not answer. Blocks (briefly):
     * not on an event loop.
     */
    int remoteWorkers() {
        try {
            // not Future.await: the web's blocking handlers call this on Vert.x worker threads
            WorkerList list = vertx.eventBus().<WorkerList>request(WorkAddresses.WORKERS, "")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
            return (int) list.workers().stream().filter(w -> !localIds.contains(w.beat().workerId())).count();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Queues {@code specJson} (validated) as a run of {@code user} for the next free worker. Blocks briefly. */
    JobAccepted submit(String specJson, String user) {
        try {
            return vertx.eventBus().<JobAccepted>request(WorkAddresses.SUBMIT, new RunRequest(specJson, user))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
        } catch (Exception e) {
            throw new IllegalStateException("the hub's work queue did not take the run: " + e.getMessage(), e);
        }
    }
}
