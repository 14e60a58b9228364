package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.cli.Workbench;
import dev.cnnworkbench.cluster.HubFile;
import dev.cnnworkbench.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who holds a home's embedded database when this process cannot open it, and what to do about it. The
 * embedded H2 file is locked by the process that has it open: the home's hub says so in
 * {@code HOME/hub.json}; any other holder is found by the lock on the database file ({@code /proc/locks},
 * Linux), and named by its command line.
 */
final class DatabaseHolder {

    /** H2's "database may be already in use". */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int MAX_COMMAND_LENGTH = 160;
    /** The workbench's main class, as a workbench process's command line names it. */
    static final String WORKBENCH_MAIN = Workbench.class.getName();

    private DatabaseHolder() {
    }

    /** Whether {@code e} says the database file is held (locked) by another process. */
    static boolean isHeldElsewhere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("is open in another workbench process") || message.contains("locked by another process")) {
                return true;
            }
        }
        return false;
    }

    /** The error to report instead of {@code cause}: which process holds the database of {@code home}, and what to do. */
    static StorageException explain(Path home, StorageException cause) {
        Path file = home.toAbsolutePath().normalize().resolve("db").resolve("workbench.mv.db");
        HubFile hub = null;
        try {
            hub = HubFile.read(home);
        } catch (IOException ignored) {
            // described below by its lock instead
        }
        if (hub != null && hub.processAlive()) {
            return new StorageException("the database " + file + " is owned by the " + hub
                    + ". The commands that read or record runs work through it; this one needs the database itself:"
                    + " wait until it has finished, or stop it (Ctrl-C in its terminal), then try again.", cause);
        }
        OptionalLong pid = lockHolder(file);
        String who = pid.isPresent() ? "process " + pid.getAsLong() + command(pid.getAsLong()).map(c -> " (" + c + ")").orElse("")
                : "another process";
        return new StorageException("the database " + file + " is in use by " + who + "; one process at a time owns a"
                + " home's database. Wait until it has finished (what it records is safe in the database), or stop it,"
                + " then try again.", cause);
    }

    /** The process holding a lock on {@code file}, from {@code /proc/locks}; empty where that cannot be told. */
    static OptionalLong lockHolder(Path file) {
        Path locks = Path.of("/proc/locks");
        try {
            if (!Files.isReadable(locks) || !Files.exists(file)) {
                return OptionalLong.empty();
            }
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            long self = ProcessHandle.current().pid();
            for (String line : Files.readAllLines(locks)) {
                // "1: POSIX  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF"; a waiter's line has "->" after the number
                List<String> f = Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.equals("->")).toList();
                if (f.size() < 6) {
                    continue;
                }
                String id = f.get(5);
                try {
                    long pid = Long.parseLong(f.get(4));
                    if (pid > 0 && pid != self && Long.parseLong(id.substring(id.lastIndexOf(':') + 1)) == inode) {
                        return OptionalLong.of(pid);
                    }
                } catch (NumberFormatException e) {
                    // not a lock line we understand
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // not Linux, or not allowed: the holder stays unnamed
        }
        return OptionalLong.empty();
    }

    /** The arguments of {@code pid} after the program, from {@code /proc} (the JDK leaves long command lines out). */
    private static Optional<String[]> procCmdline(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            String[] all = raw.split("\0");
            return all.length < 2 ? Optional.empty() : Optional.of(Arrays.copyOfRange(all, 1, all.length));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A short description of process {@code pid}'s command: {@code workbench run SPEC ...} for a workbench. */
    static Optional<String> command(long pid) {
        Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
        Optional<String[]> args = info.flatMap(ProcessHandle.Info::arguments).or(() -> procCmdline(pid));
        String text = null;
        if (args.isPresent()) {
            String[] a = args.get();
            for (int i = 0; i < a.length; i++) {
                if (a[i].equals(WORKBENCH_MAIN) || a[i].endsWith("workbench.jar")) {
                    text = "workbench " + String.join(" ", Arrays.copyOfRange(a, i + 1, a.length));
                    break;
                }
            }
        }
        if (text == null) {
            text = info.flatMap(ProcessHandle.Info::commandLine).orElse(null);
        }
        if (text == null) {
            return Optional.empty();
        }
        text = text.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(text.length() > MAX_COMMAND_LENGTH ? text.substring(0, MAX_COMMAND_LENGTH) + "..." : text);
    }
}
