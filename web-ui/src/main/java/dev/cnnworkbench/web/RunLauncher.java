package dev.cnnworkbench.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Starts runs (and sweeps) in the server's own process from a spec sent over HTTP: what {@code POST /api/runs} and
 * {@code POST /api/sweeps} need from the module that can train, since the web never sees the engine. Given to the
 * server with {@link WebServer#withLauncher}.
 *
 * <p>Contract: a start validates the whole spec before anything is recorded (a bad one is a
 * {@link dev.cnnworkbench.core.spec.SpecException} listing every problem with its JSON path, and nothing starts),
 * trains on threads of its own (never the caller's, which is a web worker), records the run under {@code user} like
 * any other run (published on the server's event bus), and returns once the run's start has been published. Methods
 * are called from web worker threads, several at once.
 */
public interface RunLauncher {

    /** A sweep that started: its id (the experiment its trial runs record) and how many trials it will train now. */
    record SweepStarted(String sweepId, int trials) {
    }

    /** Nothing was started, and the message says why (every slot busy, or this machine cannot train). */
    final class Unavailable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Validates {@code spec} (a run spec, without a {@code sweep} section) and starts training it for {@code user}.
     *
     * @return the new run's id
     * @throws dev.cnnworkbench.core.spec.SpecException the spec's problems, each with its JSON path
     * @throws Unavailable when no run can start now
     */
    String startRun(JsonNode spec, String user);

    /**
     * Validates a sweep spec (with its {@code sweep} section) and every trial of it, and starts its trials for
     * {@code user}. By default sweeps cannot be started.
     *
     * @throws dev.cnnworkbench.core.spec.SpecException the spec's problems, each with its JSON path
     * @throws Unavailable when the sweep cannot start now
     */
    default SweepStarted startSweep(JsonNode spec, String user) {
        throw new Unavailable("this server does not start sweeps; run 'workbench sweep SPEC' instead");
    }
}
