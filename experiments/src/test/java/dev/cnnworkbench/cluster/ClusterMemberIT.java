package dev.cnnworkbench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clustered Vert.x members on 127.0.0.1 (Hazelcast and the TLS event bus), in this JVM. */
class ClusterMemberIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceReadableByItsOwnerOnlyAndNamesTheCluster() throws Exception {
        ClusterKey made = ClusterKey.ensure(dir.resolve("cluster"));
        assertThat(Files.getPosixFilePermissions(made.key())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(made.cert())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        ClusterKey again = ClusterKey.ensure(dir.resolve("cluster"));
        assertThat(again.fingerprint()).isEqualTo(made.fingerprint());
        assertThat(again.clusterName()).startsWith("workbench-").isEqualTo(made.clusterName());
        assertThatThrownBy(() -> ClusterKey.create(dir.resolve("cluster")))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(ClusterKey.create(dir.resolve("other")).clusterName()).isNotEqualTo(made.clusterName());
    }

    @Test
    void aMemberWithTheKeyJoinsAndOneWithoutItCannotReachTheHub() throws Exception {
        ClusterKey key = ClusterKey.create(dir.resolve("key"));
        ClusterKey stranger = ClusterKey.create(dir.resolve("stranger"));
        AtomicInteger received = new AtomicInteger();
        try (ClusterMember hub = ClusterMember.start(ClusterOptions.hub(ClusterOptions.LOOPBACK), key, START)) {
            hub.vertx().eventBus().<String>consumer("test.echo", m -> {
                received.incrementAndGet();
                m.reply("echo " + m.body());
            }).completion().await(10, TimeUnit.SECONDS);
            String join = hub.joinAddress();
            assertThat(join).startsWith("127.0.0.1:");

            try (ClusterMember member = ClusterMember.start(ClusterOptions.joining(join), key, START)) {
                assertThat(member.manager().getNodes()).contains(hub.nodeId());
                String answer = member.vertx().eventBus().<String>request("test.echo", "hi")
                        .await(30, TimeUnit.SECONDS).body();
                assertThat(answer).isEqualTo("echo hi");
            }
            assertThat(received).hasValue(1);

            // another key: another cluster name, so the hub does not take it, and a member that holds no data
            // cannot form a cluster of its own
            assertThatThrownBy(() -> ClusterMember.start(ClusterOptions.joining(join), stranger, START).close())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot start a cluster member");
            // as a member of its own cluster (holding data), it never sees the hub: nothing answers it
            try (ClusterMember outsider = ClusterMember.start(new ClusterOptions(ClusterOptions.LOOPBACK, null,
                    ClusterOptions.DEFAULT_PORT, 0, java.util.List.of(join), false), stranger, START)) {
                assertThat(outsider.manager().getNodes()).doesNotContain(hub.nodeId());
                assertThatThrownBy(() -> outsider.vertx().eventBus().request("test.echo", "hi")
                        .await(10, TimeUnit.SECONDS))
                        .isInstanceOfSatisfying(ReplyException.class,
                                e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
            }
            // another key under the hub's cluster name: it joins Hazelcast, but the TLS bus refuses its messages
            try (ClusterMember forger = ClusterMember.start(ClusterOptions.joining(join), stranger, key.clusterName(),
                    START)) {
                assertThat(forger.manager().getNodes()).contains(hub.nodeId());
                assertThatThrownBy(() -> forger.vertx().eventBus().request("test.echo", "hi",
                        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(8_000)).await(20, TimeUnit.SECONDS))
                        .isInstanceOf(ReplyException.class);
            }
            assertThat(received).as("the hub never received a message from a member without the key").hasValue(1);
        }
    }
}
