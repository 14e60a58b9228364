package dev.cnnworkbench.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.cnnworkbench.core.bus.BusCodecs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * This process as a member of a cluster: a Vert.x whose event bus spans every member, through Vert.x's Hazelcast
 * cluster manager. What crosses the network, and how:
 * <ul>
 *   <li><b>Hazelcast</b> (membership port, {@link ClusterOptions#port()}, plain TCP: Hazelcast's open-source edition
 *   has no TLS): who is a member, heartbeats, and the bus's registry (which member consumes which address). No message
 *   body. Members are found only by the explicit TCP list (multicast and auto-detection off), bind only
 *   {@link ClusterOptions#bindHost()}, and must share the cluster name derived from the {@link ClusterKey}.</li>
 *   <li><b>The event bus</b> ({@link ClusterOptions#busPort()}, TLS): every message (metrics, run records, store
 *   queries and their answers). Both ends present the cluster key's certificate and trust nothing else (client auth
 *   required), so a process without the key cannot read or send a message even if it joined Hazelcast.</li>
 * </ul>
 * The configuration is made here in code: no {@code hazelcast.xml} or {@code cluster.xml} is looked up. The bus has
 * the workbench's message codecs registered. Close it with {@link #close}.
 */
public final class ClusterMember implements AutoCloseable {

    /** How long a member may be silent before the others drop it (Hazelcast heartbeats every second). */
    public static final int NO_HEARTBEAT_SECONDS = 10;
    /** How often a member split from the others (its hub died) looks for them again. */
    static final int MERGE_EVERY_SECONDS = 5;

    private final Vertx vertx;
    private final HazelcastClusterManager manager;

    private ClusterMember(Vertx vertx, HazelcastClusterManager manager) {
        this.vertx = vertx;
        this.manager = manager;
    }

    /** Starts a member (blocking up to {@code timeout}); fails naming the addresses it could not bind or join. */
    public static ClusterMember start(ClusterOptions options, ClusterKey key, Duration timeout) {
        return start(options, key, key.clusterName(), timeout);
    }

    /** As {@link #start(ClusterOptions, ClusterKey, Duration)} under another cluster name; for tests of refusal. */
    static ClusterMember start(ClusterOptions options, ClusterKey key, String clusterName, Duration timeout) {
        // read before any configuration is: Hazelcast's first words would otherwise go to java.util.logging
        System.setProperty("hazelcast.logging.type", "slf4j");
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(options, clusterName));
        Vertx vertx;
        try {
            vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(eventBus(options, key)))
                    .withClusterManager(manager).buildClustered().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a cluster member on " + options.bindHost() + ":"
                    + options.port() + (options.members().isEmpty() ? "" : " joining " + options.members()) + ": "
                    + e.getMessage(), e);
        }
        BusCodecs.register(vertx);
        return new ClusterMember(vertx, manager);
    }

    static Config hazelcast(ClusterOptions options, String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // Vert.x leaves the cluster on close
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "3");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(NO_HEARTBEAT_SECONDS));
        // a member left alone by a hub that died looks for its members every few seconds, and merges with a hub that
        // is back at the same address (Vert.x then publishes its listeners again)
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_EVERY_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_EVERY_SECONDS));
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.partition.count", "23"); // a handful of members and three small maps
        config.setLiteMember(options.lite());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port()).setPortAutoIncrement(true).setPortCount(ClusterOptions.PORT_RANGE);
        network.setPublicAddress(options.publicHost());
        network.getInterfaces().setEnabled(true).addInterface(options.bindHost());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(5).setMembers(options.members());
        // what Vert.x's own default-cluster.xml declares
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return config;
    }

    static EventBusOptions eventBus(ClusterOptions options, ClusterKey key) {
        return new EventBusOptions().setHost(options.bindHost()).setPort(options.busPort())
                .setClusterPublicHost(options.publicHost())
                .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(key.cert().toString())
                        .setKeyPath(key.key().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(key.cert().toString()));
    }

    /** The clustered Vert.x; its event bus reaches every member. */
    public Vertx vertx() {
        return vertx;
    }

    /** The cluster manager: membership listeners, the members' ids. */
    public HazelcastClusterManager manager() {
        return manager;
    }

    /** Where another member joins this one: {@code HOST:PORT} of its Hazelcast membership port. */
    public String joinAddress() {
        Address a = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
        return a.getHost() + ":" + a.getPort();
    }

    /** This member's node id (as Vert.x's cluster manager names it). */
    public String nodeId() {
        return manager.getNodeId();
    }

    /** Leaves the cluster and stops the Vert.x (up to 30 s). */
    @Override
    public void close() {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: the cluster member did not stop cleanly: " + e.getMessage());
        }
    }
}
