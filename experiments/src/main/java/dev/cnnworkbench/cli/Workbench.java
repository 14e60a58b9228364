package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.data.DataException;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.StorageException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code workbench} command line. Exit codes: 0 success, 1 a run or command failed, 2 bad usage
 * or a bad spec, 3 missing or corrupt data, 4 a database problem.
 */
@Command(name = "workbench", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = "CNN Workbench: train convolutional networks and keep every run.",
        subcommands = {RunCommand.class, RunsCommand.class, PluginsCommand.class, PluginCommand.class, DemoCommand.class,
            ServeCommand.class, BenchCommand.class, SweepCommand.class, EnsembleCommand.class, SummaryCommand.class,
            ExportCommand.class, DbServerCommand.class, UserCommand.class, CheckCommand.class, ResumeCommand.class,
            DataCommand.class, WorkerCommand.class, ClusterCommand.class})
public final class Workbench implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "on an error, print its stack trace too (also: WORKBENCH_DEBUG=1)")
    boolean debug;

    public static void main(String[] args) {
        // the build the jar carries, not one it was meant to carry: JavaCPP would fall back to the plain build silently
        NativeBackend.selectPlatformExtension(NativeBackend.extensionOnClassPath(manifestAttribute("Class-Path")));
        NativeBackend.skipResidentMemoryCheck();
        System.exit(commandLine().execute(args));
    }

    /** An attribute of this jar's manifest, or {@code null} when run from classes. */
    private static String manifestAttribute(String name) {
        try {
            java.nio.file.Path self = java.nio.file.Path.of(Workbench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!java.nio.file.Files.isRegularFile(self)) {
                return null;
            }
            try (var jar = new java.util.jar.JarFile(self.toFile())) {
                var manifest = jar.getManifest();
                return manifest == null ? null : manifest.getMainAttributes().getValue(name);
            }
        } catch (java.io.IOException | java.net.URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /**
     * The configured command line, for tests. Every error a command throws ends here: one line saying what is
     * wrong, and the exit code of its kind; the stack trace only with {@code --debug} or {@code WORKBENCH_DEBUG=1}.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Workbench());
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        // picocli passes Exceptions to the handler but lets Errors (a StackOverflowError) escape with their trace.
        cl.setExecutionStrategy(parsed -> {
            try {
                return runLast.execute(parsed);
            } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
                throw e;
            } catch (Error e) {
                throw new CommandLine.ExecutionException(cl, String.valueOf(e), e);
            }
        });
        return cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
            int code = report(cause);
            if (debug(parsed)) {
                cause.printStackTrace();
            }
            return code;
        });
    }

    /** Prints one line (a filter error: with the caret under its position) for {@code e}; returns the exit code. */
    private static int report(Throwable e) {
        if (e instanceof SpecException se) {
            System.err.println("invalid spec:");
            se.errors().forEach(err -> System.err.println("  " + err));
            return 2;
        }
        if (e instanceof FilterException fe) {
            return RunSelection.report(fe);
        }
        if (e instanceof IllegalArgumentException) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (e instanceof DataException) {
            System.err.println("data error: " + e.getMessage());
            return 3;
        }
        if (e instanceof StorageException) {
            System.err.println("database error: " + e.getMessage());
            return 4;
        }
        if (e instanceof FileSystemException fse) { // a file named on the command line: its message is only the path
            System.err.println("error: " + fse.getFile() + ": " + reason(fse));
            return 2;
        }
        System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                + (e instanceof Error ? " (" + e.getClass().getSimpleName() + ")" : "")
                + "; run again with --debug to see where");
        return 1;
    }

    /** Why a file operation failed, as the shell says it. */
    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        return e.getClass().getSimpleName();
    }

    /** Whether {@code --debug} was given to any command of the line, or {@code WORKBENCH_DEBUG} is set (not 0). */
    private static boolean debug(CommandLine.ParseResult parsed) {
        String env = System.getenv("WORKBENCH_DEBUG");
        if (env != null && !env.isBlank() && !env.equals("0") && !env.equalsIgnoreCase("false")) {
            return true;
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Workbench.class.getPackage().getImplementationVersion();
            return new String[] {"CNN Workbench " + (v == null ? "dev" : v)};
        }
    }
}
