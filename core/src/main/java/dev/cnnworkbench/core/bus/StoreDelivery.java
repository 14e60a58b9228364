package dev.cnnworkbench.core.bus;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * How a run's events, and the flush and start acknowledgement that follow them, are delivered so that they keep their
 * order. On a clustered bus Vert.x looks up each address's listeners on its first use, asynchronously, so messages to
 * different addresses can overtake each other then (a flush answered before the events it should cover; a start
 * acknowledged before the start was seen). On a bus whose process holds the store, everything for the store is
 * delivered to this process's consumers only, which keeps the order; elsewhere (a worker) delivery is cluster-wide.
 * Thread-safe.
 */
public final class StoreDelivery {

    private static final Set<EventBus> STORES = Collections.synchronizedSet(Collections.newSetFromMap(
            new IdentityHashMap<>()));

    private StoreDelivery() {
    }

    /** Called by the storage when it starts consuming on {@code bus}. */
    public static void storeOpened(EventBus bus) {
        STORES.add(bus);
    }

    /** Called by the storage when it stops consuming on {@code bus}. */
    public static void storeClosed(EventBus bus) {
        STORES.remove(bus);
    }

    /** New delivery options for a message to the store over {@code bus}: local-only where the store is local. */
    public static DeliveryOptions to(EventBus bus) {
        return new DeliveryOptions().setLocalOnly(STORES.contains(bus));
    }
}
