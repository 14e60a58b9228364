package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** In a JVM that runs G1 with the default interval (none), the periodic collection is turned on. */
class NativeGarbageTest {

    @Test
    void turnsOnG1sPeriodicCollectionOnce() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1"));
        assertThat(g1).as("the test JVM runs G1, the launcher's collector").isTrue();

        NativeGarbage.collectPeriodically();
        NativeGarbage.collectPeriodically(); // idempotent

        assertThat(NativeGarbage.interval()).isEqualTo(NativeGarbage.INTERVAL_MS);
    }
}
