package dev.cnnworkbench.cli.work;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.storage.StoreClient;
import java.time.Duration;

/**
 * What {@code sweep} needs in one process: a {@link LocalStack} (the hub's store, or this process's: the sweep reads
 * its past trials) and a {@link WorkHub} on the same bus: the work queue its coordinator sends the trials to, and a worker of
 * this process training up to {@code slots} of them at a time (workers that joined this hub take trials too). Opened and closed
 * by the command's thread. {@link #start} opens a stack of its own (closed with this); {@link #attach} uses one the
 * caller keeps (the demo's), and closing this only takes its work queue and worker away.
 */
public final class SweepStack implements AutoCloseable {

    private final LocalStack stack;
    private final WorkHub hub;
    private final WorkHub.LocalWorker worker;
    private final boolean ownsStack;

    private SweepStack(LocalStack stack, WorkHub hub, WorkHub.LocalWorker worker, boolean ownsStack) {
        this.stack = stack;
        this.hub = hub;
        this.worker = worker;
        this.ownsStack = ownsStack;
    }

    /** Starts the owning stack, then deploys a trial worker whose runs keep their networks under the home. */
    public static SweepStack start(HomeOptions home, SpecResolver resolver, int slots) {
        LocalStack stack = LocalStack.start(home);
        try {
            return attach(stack, resolver, slots, true);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Deploys a trial worker on {@code stack}, which must own its home's database and stays the caller's to close. */
    public static SweepStack attach(LocalStack stack, SpecResolver resolver, int slots) {
        return attach(stack, resolver, slots, false);
    }

    private static SweepStack attach(LocalStack stack, SpecResolver resolver, int slots, boolean ownsStack) {
        WorkHub hub = WorkHub.on(stack);
        if (hub.joined()) {
            System.err.println("its trials go to the hub's work queue: its workers take them, and so does this process ("
                    + slots + " at a time)");
        }
        return new SweepStack(stack, hub, hub.addWorker(resolver, slots), ownsStack);
    }

    /** The local bus (the sweep's records) and the bus of its work queue (its trials). */
    public ProcessBuses buses() {
        return hub.buses();
    }

    /** The home's store: this process's database, or the hub's. */
    public StoreClient store() {
        return stack.store();
    }

    public String databaseUrl() {
        return stack.databaseUrl();
    }

    /** Records every trial still training as {@code INTERRUPTED}; for a shutdown hook. */
    public int interruptAll(String reason) {
        return worker.runner().interruptAll(reason);
    }

    /** Waits until everything published so far is committed. */
    public void flush(Duration timeout) throws Exception {
        stack.flush(timeout);
    }

    @Override
    public void close() {
        if (ownsStack) {
            stack.close();
            return;
        }
        hub.removeWorker(worker);
    }
}
