package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.eventbus.EventBus;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs that other processes of this machine started through a receiver of run events (the hub's ingest, the HTTP
 * ingest) and have not ended yet: when such a process is gone without sending its run's end, {@link #endTheOrphans}
 * ends the run {@code INTERRUPTED}, as the next start would do for a local run. A run of a work queue's job
 * ({@link RunStarted#workJob}) is not watched: its queue ends it when the worker is lost, saying where it continues.
 * Not thread-safe: use it from one event loop.
 */
public final class RunProcessWatch {

    private final String host;
    private final long ownPid = ProcessHandle.current().pid();
    private final Map<String, Long> watched = new LinkedHashMap<>();

    /** {@code host}: this machine's name, as runs record it. */
    public RunProcessWatch(String host) {
        this.host = host;
    }

    /** Watches a run started by another process of this machine; forgets a run that ended. */
    public void track(Record event) {
        if (event instanceof RunStarted s && host.equals(s.host()) && s.pid() > 0 && s.pid() != ownPid
                && !s.workJob()) {
            watched.put(s.runId(), s.pid());
        } else if (event instanceof RunEnded end) {
            watched.remove(end.runId());
        }
    }

    /** Publishes on {@code bus} an INTERRUPTED end for each watched run whose process is gone, and forgets it. */
    public void endTheOrphans(EventBus bus) {
        for (Iterator<Map.Entry<String, Long>> it = watched.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> run = it.next();
            if (!ProcessHandle.of(run.getValue()).map(ProcessHandle::isAlive).orElse(false)) {
                it.remove();
                bus.publish(Addresses.RUN_ENDED, new RunEnded(run.getKey(), RunStatus.INTERRUPTED,
                        "its process (" + run.getValue() + " on " + host + ") ended without recording an end",
                        System.currentTimeMillis()));
            }
        }
    }
}
