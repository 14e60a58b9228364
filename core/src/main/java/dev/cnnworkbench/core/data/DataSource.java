package dev.cnnworkbench.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One data set's files in one format, able to decode them into an {@link ImageStore}. Made by
 * {@link Datasets#source}; {@link #files()} and {@link #settings()} key the cache, so a source must list every file
 * it reads and every setting that changes what it decodes.
 */
interface DataSource {

    /** Creates the store the decoded rows go into, once their number and shape are known. */
    interface Stores {
        ImageStore create(int count, int channels, int height, int width);
    }

    /** The folder the files' relative paths are taken from. */
    Path root();

    /** Every file the source reads, in a fixed order. Checks that they exist (a {@link DataException} if not). */
    List<Path> files();

    /** The settings that change the decoded bytes, e.g. {@code "folder c3 32x32 crop skip"}. */
    String settings();

    /** Decodes every file into a store from {@code stores}; the index's fingerprint is left empty. */
    DataIndex decode(Stores stores);
}
