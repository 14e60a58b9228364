package dev.cnnworkbench.storage;

import java.time.Instant;

/**
 * A file a run produced, as indexed: the file itself lies at {@link #path()} under the home's {@code artifacts/}
 * folder. The path is what the trainer announced; a reader serving the file must resolve it under that folder
 * and refuse one that leads out of it.
 *
 * @param id        the row's id; stays when the same path is announced again
 * @param kind      e.g. {@code model}, {@code snapshot}, {@code image}
 * @param name      a short name for people
 * @param path      relative to the artifacts folder, '/'-separated
 * @param sizeBytes the file's size when announced
 * @param sha256    the file's SHA-256 when announced, lower-case hex
 * @param mediaType e.g. {@code image/png}; {@code null} when not recorded
 * @param step      the iteration it belongs to; {@code null} when not recorded
 * @param epoch     the epoch it belongs to; {@code null} when not recorded
 * @param createdAt when it was (last) written
 */
public record StoredArtifact(long id, String runId, String kind, String name, String path, long sizeBytes,
                             String sha256, String mediaType, Long step, Integer epoch, Instant createdAt) {
}
