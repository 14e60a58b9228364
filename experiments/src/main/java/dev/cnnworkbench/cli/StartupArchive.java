package dev.cnnworkbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.management.ObjectName;

/**
 * The JVM's class-data-sharing archive of the classes a training run loads (DL4J, ND4J, Vert.x, Hazelcast, H2,
 * Flyway: some 20,000), which every later command maps instead of reading and verifying them from ~100 jars: a LeNet
 * {@code workbench run} reaches its first step 1.33x sooner and peaks 10% lower ({@code bench memory
 * --startup-archive --warm-home}). The launcher names the archive ({@value #PROPERTY}) after the jar's and the JVM's
 * modification times, starts the JVM with {@code -XX:+RecordDynamicDumpInfo} while it does not exist, and with
 * {@code -XX:SharedArchiveFile} once it does. The archive is written after a run that trained, so it holds what a run
 * needs (a command that fails early would archive a fifth of it). Call from the command's thread, once.
 */
public final class StartupArchive {

    /** System property naming the archive (to write while it is missing); set by the launcher. */
    public static final String PROPERTY = "workbench.cds.archive";

    private StartupArchive() {
    }

    /**
     * The options that make a child JVM (with this one's class path) map the launcher's archive.
     *
     * @throws IllegalStateException when there is none yet: the first {@code workbench run} that trains writes it
     */
    public static List<String> childOptions() {
        String name = System.getProperty(PROPERTY);
        if (name == null || !Files.isRegularFile(Path.of(name))) {
            throw new IllegalStateException("no start-up archive " + (name == null ? "(start the workbench with"
                    + " ./workbench)" : name + " yet") + ": the first './workbench run' that trains after a build"
                    + " writes it");
        }
        return List.of("-XX:SharedArchiveFile=" + name, "-Xlog:cds=off,cds+dynamic=off"); // as the launcher maps it
    }

    /**
     * Writes the archive the launcher asked for ({@value #PROPERTY}), unless it exists or the JVM cannot (started
     * without {@code -XX:+RecordDynamicDumpInfo}, or without the JDK's base archive): to a file of this process's own,
     * then renamed into place, so that a concurrent command maps either no archive or a whole one (a few seconds).
     * Says so on {@code err}; a failure is a note there, not an error (the run is already recorded, and the next run
     * tries again).
     */
    public static void saveIfAsked(PrintStream err) {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank() || !recording()) {
            return;
        }
        Path archive = Path.of(name);
        if (Files.exists(archive)) {
            return;
        }
        Path partial = archive.resolveSibling(archive.getFileName() + ".part-" + ProcessHandle.current().pid());
        err.println("saving the classes this run loaded to " + archive + " (once per build: later commands start"
                + " faster) ...");
        try {
            Files.createDirectories(archive.toAbsolutePath().getParent());
            Object answer;
            PrintStream out = System.out;
            // the JDK says "Dynamic dump to file ..." on System.out, the command's output; the line above said it
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                answer = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                        new Object[] {new String[] {"dynamic_dump", partial.toString()}},
                        new String[] {String[].class.getName()});
            } finally {
                System.setOut(out);
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IOException(String.valueOf(answer).strip());
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception | LinkageError e) {
            err.println("note: could not save the start-up archive " + archive + " (" + e.getMessage() + "); commands"
                    + " start as before");
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover part file is never mapped: only the renamed archive is
            }
        }
    }

    /**
     * Whether this JVM can write a dynamic archive: it maps the JDK's own base archive ({@code java.vm.info} says
     * "sharing"; a JDK without one cannot) and records what a dump needs ({@code -XX:+RecordDynamicDumpInfo}).
     */
    private static boolean recording() {
        if (!System.getProperty("java.vm.info", "").contains("sharing")) {
            return false;
        }
        try {
            return "true".equals(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("RecordDynamicDumpInfo").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false; // not HotSpot, or a JDK without dynamic archives
        }
    }
}
