package dev.cnnworkbench.core.experiment;

import dev.cnnworkbench.core.summary.MemoryEstimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a run can keep its files: the folder exists (or can be made), a file can be written in it, and its file
 * system has room for what the run will write. Checked before a run is recorded, so a read-only home or a full disk
 * is said at once, with the path and the system's reason, instead of after training. Stateless.
 */
public final class HomeCheck {

    /** The folder cannot take the run's files; the message names the folder and why. */
    public static final class Unusable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private HomeCheck() {
    }

    /**
     * Checks {@code folder} is writable with {@code bytes} free.
     *
     * @param what what the folder is for, for the message ({@code "the run's artifacts"})
     * @throws Unusable naming the folder and the cause
     */
    public static void check(Path folder, long bytes, String what) {
        Path dir = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new Unusable("cannot write " + what + " in " + dir + ": " + reason(e));
        }
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new Unusable("cannot tell the free space of " + dir + ": " + reason(e));
        }
        if (free < bytes) {
            throw new Unusable("no room for " + what + " in " + dir + ": it needs about " + MemoryEstimate.bytes(bytes)
                    + ", and " + MemoryEstimate.bytes(free) + " is free (No space left on device)");
        }
    }

    private static String reason(Exception e) {
        String name = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied (read-only)";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return message == null ? name : message;
    }
}
