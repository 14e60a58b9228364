package dev.cnnworkbench.core.bus;

/**
 * A file a run produced, complete on disk (written under a temporary name and renamed) before this is published.
 *
 * @param kind      e.g. {@code model}, {@code snapshot}, {@code checkpoint}, {@code image}, {@code histogram}
 * @param name      a short name for people, e.g. {@code first-layer filters}
 * @param path      relative to the home's {@code artifacts/} folder, '/'-separated: {@code RUN_ID/model.zip}
 * @param sizeBytes the file's size
 * @param sha256    the file's SHA-256, lower-case hex
 * @param mediaType e.g. {@code image/png}, {@code application/zip}
 * @param step      the iteration it belongs to
 * @param epoch     the epoch it belongs to
 * @param time      epoch milliseconds
 */
public record RunArtifact(String runId, String kind, String name, String path, long sizeBytes, String sha256,
                          String mediaType, long step, int epoch, long time) {
}
