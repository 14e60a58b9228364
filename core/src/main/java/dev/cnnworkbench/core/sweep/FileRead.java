package dev.cnnworkbench.core.sweep;

/**
 * Read a part of one of a run's files from the hub ({@link WorkAddresses#FILE_GET}).
 *
 * @param runId  the run
 * @param name   the file's name in the run's artifact folder
 * @param offset the first byte wanted
 */
public record FileRead(String runId, String name, long offset) {
}
