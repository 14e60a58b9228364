package dev.cnnworkbench.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A launcher as the web sees one, without the engine: the spec is checked by the real parser (so its errors and
 * their paths are the real ones), then a run start is published for the caller, as a trainer would; nothing trains.
 * {@link #busy} makes it refuse as a launcher with no free slot does.
 */
final class FakeLauncher implements RunLauncher {

    private final AtomicInteger next = new AtomicInteger();
    /** The bus the runs are published on: the test stack's, set once it is up. */
    volatile Vertx vertx;
    volatile boolean busy;

    @Override
    public String startRun(JsonNode spec, String user) {
        ExperimentSpec parsed = new SpecParser().parse(spec, List.of(), "web");
        if (busy || vertx == null) {
            throw new Unavailable("the server is already training 1 run started from the dashboard");
        }
        String id = "web" + next.incrementAndGet();
        vertx.eventBus().publish(Addresses.RUN_STARTED, new RunStarted(id, parsed.name(), parsed.experiment(),
                SpecJson.write(parsed), SpecJson.flatten(parsed), Map.of("java", "17"), System.currentTimeMillis(),
                ProcessHandle.current().pid(), "test-host", user));
        return id;
    }
}
