package dev.cnnworkbench.core.bus;

import io.vertx.core.eventbus.EventBus;

/**
 * The two buses a process of a hub's cluster talks on.
 *
 * <p>{@code local}: this process's own, never clustered. Its runs' events ({@link RunEvents}), their flushes and
 * start acknowledgements go here, to the storage (in the hub) or to the link that hands them on to the hub in order
 * (in any other process). It must not be clustered: a clustered bus looks up each address's listeners on the first
 * use of that address, asynchronously, so messages to two addresses can arrive in another order than they were sent
 * (a run's end before its start, a flush before the points it should cover); a local bus keeps the order.
 *
 * <p>{@code cluster}: where work is coordinated with other processes and machines (the work queue, workers, sweeps'
 * rung decisions, the runs' files, the hub's store service). The same bus as {@code local} in a process that is no
 * member of a cluster.
 */
public record ProcessBuses(EventBus local, EventBus cluster) {

    /** One bus for both: a process alone (or a test). */
    public static ProcessBuses single(EventBus bus) {
        return new ProcessBuses(bus, bus);
    }
}
