package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.env.Host;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run came from, Tribuo-style: enough to tell two runs' environments apart and to re-run one.
 * The git commit comes from {@code WORKBENCH_GIT_COMMIT} (set by the launcher) when present.
 */
public final class Provenance {

    private Provenance() {
    }

    /** The workbench's version, from the jar manifest, or {@code "dev"} when run from classes. */
    public static String workbenchVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Provenance of a run of {@code experiment}. Starts ND4J if it is not yet started. */
    public static Map<String, String> of(Experiment experiment) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("workbench.version", workbenchVersion());
        out.put("workbench.git_commit", System.getenv().getOrDefault("WORKBENCH_GIT_COMMIT", "unknown"));
        out.put("seed", String.valueOf(experiment.spec().train().seed()));
        out.put("java.version", System.getProperty("java.version"));
        out.put("java.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.put("host", Host.name());
        out.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        out.put("max_heap_mb", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        out.put("nd4j.backend", Nd4j.getBackend().getClass().getSimpleName());
        out.put("nd4j.native_build", NativeBackend.nativeBuild());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        for (String key : new String[] {"blas.vendor", "omp.threads", "cores"}) {
            Object v = env.get(key);
            if (v != null) {
                out.put("nd4j." + key, String.valueOf(v));
            }
        }
        out.put("dl4j.version", "1.0.0-M2.1");
        experiment.pluginVersions().forEach((plugin, version) -> out.put("plugin." + plugin, version));
        experiment.pluginJars().forEach((plugin, jar) -> {
            out.put("plugin." + plugin + ".jar", jar.file());
            out.put("plugin." + plugin + ".sha256", jar.sha256());
        });
        return out;
    }
}
