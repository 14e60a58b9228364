package dev.cnnworkbench.core.sweep;

/**
 * Queue one run on the hub ({@link WorkAddresses#SUBMIT}).
 *
 * @param specJson the run's complete spec, already validated by the sender
 * @param user     who the run is attributed to
 */
public record RunRequest(String specJson, String user) {
}
