package dev.cnnworkbench.core.env;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read, such as the ones that carry a home's tokens and addresses. */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /**
     * Replaces {@code target} with {@code text} atomically: written to an owner-only temporary file in the same folder
     * (mode 0600 where the file system has POSIX permissions), forced to disk, then moved into place, so a reader
     * sees the old file or the whole new one. Creates the folder if needed.
     */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String prefix = "." + target.getFileName() + "-";
        Path tmp;
        try {
            tmp = Files.createTempFile(folder, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            tmp = Files.createTempFile(folder, prefix, ".tmp");
        }
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode(text));
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
