package dev.cnnworkbench.core.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the native memory held by ND4J arrays that are no longer used. ND4J frees an array's off-heap buffer only
 * when the garbage collector finds its Java object unreachable. Arrays made outside DL4J's workspaces (evaluation,
 * batch assembly, some layers' temporaries) have small Java objects and large buffers, so the heap fills slowly,
 * collections come seconds apart, and the buffers waiting for them pile up: a ResNet-20 {@code workbench run} peaked
 * at 2.8 GB resident, 1.8 GB with a collection at least every second, and ran no slower ({@code workbench bench
 * memory --model cifar10-resnet}). That collection is G1's periodic one (JEP 346, {@code G1PeriodicGCInterval}): a
 * young collection and a concurrent cycle whenever none ran for the interval, set here at run time because the flag
 * is manageable. An interval given on the command line is kept ({@code -XX:G1PeriodicGCInterval=0} turns it off);
 * under another collector, or another JVM, this does nothing.
 *
 * <p>Thread-safe; the first call does the work, later calls nothing.
 */
public final class NativeGarbage {

    /** The longest the JVM goes without a collection while networks are used, in milliseconds. */
    public static final long INTERVAL_MS = 1_000;

    private static final String FLAG = "G1PeriodicGCInterval";
    private static final AtomicBoolean ASKED = new AtomicBoolean();

    private NativeGarbage() {
    }

    /** Asks G1 for a collection at least every {@link #INTERVAL_MS}, unless the command line set an interval. */
    public static void collectPeriodically() {
        if (!ASKED.compareAndSet(false, true)) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm != null && vm.getVMOption(FLAG).getOrigin() == VMOption.Origin.DEFAULT) {
                vm.setVMOption(FLAG, Long.toString(INTERVAL_MS));
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            // not HotSpot, or the flag is not there or not writable: the JVM's own schedule stays
        }
    }

    /** The periodic collection interval in force, in milliseconds; 0 when off or unknown. */
    public static long interval() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm == null ? 0 : Long.parseLong(vm.getVMOption(FLAG).getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            return 0;
        }
    }
}
