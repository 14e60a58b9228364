package dev.cnnworkbench.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Decoded data sets kept in a folder of the home ({@code HOME/cache/data}), one subfolder per data set and decoding:
 * {@code pixels.u8} (every image as unsigned bytes, written as each image is decoded and read a row at a time, see
 * {@link ImageStore}) and
 * {@code index.json} ({@link DataIndex}). The subfolder's name is a hash of the data's {@link Fingerprint} and the
 * settings that change the decoded bytes, so a later run or sweep trial on the same files reuses it and a changed
 * file makes a new one. A cache entry is built in a temporary folder and renamed into place, so processes building
 * the same entry at once never see half of one (the first rename wins). Thread-safe.
 */
public final class DataCache {

    /** Bumped when the decoded layout changes, so older entries are not read. */
    private static final String LAYOUT = "v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    /** A cache in {@code dir}, created when first written. */
    public DataCache(Path dir) {
        this.dir = dir;
    }

    /** The cache of the workbench home {@code home}. */
    public static DataCache inHome(Path home) {
        return new DataCache(home.resolve("cache").resolve("data"));
    }

    /** A decoded data set: its rows and their index. */
    public record Entry(ImageStore store, DataIndex index, boolean reused) {
    }

    /** Decodes {@code source} on the heap, without a cache. */
    static Entry decode(DataSource source) {
        String fingerprint = Fingerprint.of(source.root(), source.files());
        ImageStore[] made = new ImageStore[1];
        DataIndex index = source.decode((n, c, h, w) -> made[0] = ImageStore.onHeap(n, c, h, w));
        return new Entry(made[0], index.withFingerprint(fingerprint), false);
    }

    /** {@code source} decoded: from the cache when an entry for its files and settings exists, else built now. */
    Entry load(DataSource source) {
        String fingerprint = Fingerprint.of(source.root(), source.files());
        String key = Fingerprint.ofText(LAYOUT + "\n" + fingerprint + "\n" + source.settings()).substring(0, 32);
        Path entry = dir.resolve(key);
        if (Files.isRegularFile(entry.resolve("index.json"))) {
            return open(entry, true);
        }
        Path tmp = dir.resolve(key + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            ImageStore[] made = new ImageStore[1];
            DataIndex index;
            try {
                index = source.decode((n, c, h, w) ->
                        made[0] = ImageStore.inFile(tmp.resolve("pixels.u8"), true, n, c, h, w)).withFingerprint(fingerprint);
                made[0].force();
            } finally {
                if (made[0] != null) {
                    made[0].close();
                }
            }
            JSON.writeValue(tmp.resolve("index.json").toFile(), index);
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteQuietly(tmp); // another process built it first
            } catch (IOException e) {
                if (!Files.isDirectory(entry)) {
                    throw e;
                }
                deleteQuietly(tmp);
            }
            return open(entry, false);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new DataException("cannot write the data cache under " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static Entry open(Path entry, boolean reused) {
        try {
            DataIndex index = JSON.readValue(entry.resolve("index.json").toFile(), DataIndex.class);
            ImageStore store = ImageStore.inFile(entry.resolve("pixels.u8"), false, index.count(), index.channels(),
                    index.height(), index.width());
            return new Entry(store, index, reused);
        } catch (IOException e) {
            throw new DataException("cannot read the data cache entry " + entry + ": " + e.getMessage()
                    + "; delete that folder and it is rebuilt", e);
        }
    }

    private static void deleteQuietly(Path path) {
        // leftovers of a failed build are harmless: a later build uses a new temporary name
        org.apache.commons.io.FileUtils.deleteQuietly(path.toFile());
    }
}
