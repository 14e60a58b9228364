package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.data.DataException;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code workbench} command line. Exit codes: 0 success, 1 a run or command failed, 2 bad usage
 * or a bad spec, 3 missing or corrupt data, 4 a database problem.
 */
@Command(name = "workbench", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = "CNN Workbench: train convolutional networks and keep every run.",
        subcommands = {RunCommand.class, RunsCommand.class, PluginsCommand.class, DemoCommand.class,
            ServeCommand.class, BenchCommand.class, SweepCommand.class, EnsembleCommand.class, SummaryCommand.class,
            ExportCommand.class, DbServerCommand.class, UserCommand.class, CheckCommand.class, ResumeCommand.class,
            DataCommand.class})
public final class Workbench implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        NativeBackend.selectPlatformExtension(manifestAttribute("Nd4j-Platform-Extension"));
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

    /** The configured command line, for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Workbench()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SpecException se) {
                System.err.println("invalid spec:");
                se.errors().forEach(err -> System.err.println("  " + err));
                return 2;
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
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("WORKBENCH_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
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
