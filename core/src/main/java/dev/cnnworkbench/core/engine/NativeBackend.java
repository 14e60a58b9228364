package dev.cnnworkbench.core.engine;

/**
 * Settings of the ND4J native backend that must be made before it is used. Safe to call from any
 * thread, any number of times; an explicit {@code -D} on the command line always wins.
 */
public final class NativeBackend {

    /** JavaCPP's choice of native build, e.g. {@code -onednn-avx2} for {@code linux-x86_64-onednn-avx2}. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** JavaCPP's ceiling on the process's resident memory, which it checks on every native allocation. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** DL4J's switch for its oneDNN/cuDNN layer helpers; DL4J 1.0.0-M2.1 turns them OFF by default. */
    public static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeBackend() {
    }

    /**
     * Selects the native build the class path carries (from the jar manifest). Must run before the
     * first ND4J class loads; later calls have no effect on an already loaded backend.
     */
    public static void selectPlatformExtension(String extension) {
        if (extension != null && !extension.isBlank() && System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, extension);
        }
    }

    /** An ND4J native build jar with an extension, e.g. {@code nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar}. */
    private static final java.util.regex.Pattern NATIVE_BUILD_JAR = java.util.regex.Pattern.compile(
            "(?:^|[\\s/:])nd4j-native-[^\\s/:]*?-linux-x86_64(-[a-z0-9-]+)\\.jar");

    /**
     * The platform extension of the ND4J native build jar on {@code classPath} (a jar manifest's space-separated
     * {@code Class-Path}, or the JVM's), e.g. {@code -onednn-avx512} for
     * {@code lib/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx512.jar}; {@code null} when only the plain build, or
     * none (the CUDA build), is there, or {@code classPath} is null. Deriving the choice from the class path keeps it
     * consistent with what can load: a build asked for but absent makes JavaCPP fall back to the plain one silently.
     */
    public static String extensionOnClassPath(String classPath) {
        if (classPath == null) {
            return null;
        }
        java.util.regex.Matcher m = NATIVE_BUILD_JAR.matcher(classPath);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Turns off JavaCPP's resident-memory check, unless a {@code -D} sets its ceiling. JavaCPP reads the process's
     * resident size on every native allocation (ND4J makes one for each array's shape: 4% of a ResNet-20 training
     * step) to compare it with a ceiling that defaults to four times the maximum heap, by default all of the
     * machine's memory; the workbench's own periodic collection ({@link NativeGarbage}) is what keeps native memory
     * down. Must run before the first ND4J class loads.
     */
    public static void skipResidentMemoryCheck() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null
                && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }

    /** The backend's loading, started once by {@link #preload} or {@link #load}; guarded by the class. */
    private static java.util.concurrent.CompletableFuture<String> loading;

    /**
     * Starts loading the ND4J backend on a daemon thread and returns at once, so that the native libraries load while
     * the caller does other work (opening the database, reading the data). Later calls, and {@link #load}, share this
     * one load. Call after the settings above; any thread.
     */
    public static void preload() {
        loading();
    }

    /** The one load of the backend, started on a daemon thread by the first caller. */
    private static synchronized java.util.concurrent.CompletableFuture<String> loading() {
        if (loading == null) {
            java.util.concurrent.CompletableFuture<String> started = new java.util.concurrent.CompletableFuture<>();
            Thread loader = new Thread(() -> {
                try {
                    started.complete(loadNow());
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                }
            }, "workbench-nd4j-load");
            loader.setDaemon(true);
            loader.start();
            loading = started;
        }
        return loading;
    }

    /**
     * Loads the ND4J backend (or waits for the load {@link #preload} started), so that a machine that cannot run it is
     * told before any run is recorded. Returns the backend's name ({@code CpuBackend}, {@code JCublasBackend}). Any
     * thread; every call after the first answers the first's outcome.
     *
     * @throws IllegalStateException saying which native library is missing and what to do, when no backend loads
     */
    public static String load() {
        try {
            return loading().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private static String loadNow() {
        try {
            String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
            String mismatch = buildMismatch(System.getProperty(PLATFORM_EXTENSION), nativeBuild());
            if (mismatch != null) {
                System.err.println("warning: " + mismatch);
            }
            return backend;
        } catch (LinkageError | RuntimeException e) {
            String cause = rootCause(e);
            String hint = isCudaBuild()
                    ? "this is the CUDA build, which needs an NVIDIA GPU and its driver; on this machine use the CPU"
                        + " build (unset WORKBENCH_BACKEND, or WORKBENCH_BACKEND=cpu)"
                    : "rebuild for this machine (./workbench rebuilds when WORKBENCH_ND4J_EXTENSION or"
                        + " WORKBENCH_BACKEND change)";
            throw new IllegalStateException("the ND4J native backend cannot start: " + cause + "; " + hint, e);
        }
    }

    /**
     * The directory of the libnd4j build this process loaded, e.g. {@code linux-x86_64-onednn-avx512} (JavaCPP's
     * platform and extension), or {@code "unknown"} before the backend is loaded or when no such library is loaded.
     * Any thread.
     */
    public static String nativeBuild() {
        for (java.util.Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().equals("nd4jcpu") || e.getKey().equals("nd4jcuda")) {
                java.nio.file.Path dir = java.nio.file.Path.of(e.getValue()).getParent();
                return dir == null ? "unknown" : dir.getFileName().toString();
            }
        }
        return "unknown";
    }

    /**
     * Why the loaded native build is not the one asked for, or null when it is (or nothing was asked). JavaCPP falls
     * back silently to the plain build when the one its platform extension names is not on the class path (a jar
     * built for another CPU, or by a partial build): LeNet then trains several times slower, without oneDNN.
     */
    static String buildMismatch(String requestedExtension, String loadedBuild) {
        if (requestedExtension == null || requestedExtension.isBlank() || loadedBuild.equals("unknown")
                || loadedBuild.endsWith(requestedExtension)) {
            return null;
        }
        return "ND4J loaded its native build " + loadedBuild + ", not the " + requestedExtension + " build asked for ("
                + PLATFORM_EXTENSION + "): that build's jar is not on the class path, and training runs without its"
                + " kernels, several times slower; rebuild with ./workbench (it builds for this CPU)";
    }

    private static boolean isCudaBuild() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, NativeBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String rootCause(Throwable e) {
        String message = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsatisfiedLinkError) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    /**
     * The native threads each of {@code parallel} trials training at once in this process should use so that they do
     * not fight over the cores: the available processors divided among them, at least one.
     */
    public static int threadsPerTrial(int parallel) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, parallel));
    }

    /**
     * Keeps OpenBLAS (ND4J's matrix products: dense and output layers) on the calling thread, process-wide. Its own
     * worker threads spin after each call and took the cores from OpenMP's (oneDNN's convolutions) between layers: a
     * LeNet step ran 1.77x faster with one BLAS thread (`bench train`, tracked 976 against 1,724 examples/s). Does
     * nothing on a GPU backend. {@link NetworkFactory#create}, which makes every network, calls it.
     */
    public static void singleThreadedBlas() {
        if (org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) {
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
        }
    }

    /**
     * Caps the native threads of the ND4J work the calling thread starts: OpenMP's team size for this thread (what
     * oneDNN's kernels use), and process-wide libnd4j's own loops; OpenBLAS stays on one thread
     * ({@link #singleThreadedBlas}). Call it on the thread that trains,
     * before it trains; every thread training at once should ask for the same cap ({@link #threadsPerTrial}). Does
     * nothing on a GPU backend.
     */
    public static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) {
            return; // a GPU backend's "threads" are its kernels' launch sizes: not ours to cap
        }
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** The process-wide part of {@link #limitThreads}: libnd4j's own loops and OpenBLAS. */
    public record Caps(int nd4jThreads, int blasThreads) {
    }

    /** The process-wide thread caps now, to {@link #restore} after work that {@link #limitThreads limited} them. */
    public static Caps processCaps() {
        return new Caps(org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads(),
                org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads());
    }

    /** Puts back process-wide thread caps read with {@link #processCaps}. Does nothing on a GPU backend. */
    public static void restore(Caps caps) {
        if (org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU()) {
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(caps.nd4jThreads());
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(caps.blasThreads());
        }
    }

    /** The OpenMP team size native work started from the calling thread gets. */
    public static int nativeThreads() {
        org.nd4j.linalg.factory.Nd4j.getBackend(); // the native library is loaded before it is asked
        return org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * Lets DL4J layers use the native build's oneDNN kernels (convolution, pooling, batch norm). Read by
     * DL4J when each layer is created, so this must run before any network is created: a network built with the
     * kernels and one read back without them round differently (a resumed run would drift from the first step).
     * {@link NetworkFactory#create}, which makes every network, calls it.
     */
    public static void enableLayerHelpers() {
        if (System.getProperty(HELPERS_DISABLED) == null) {
            System.setProperty(HELPERS_DISABLED, "false");
        }
    }
}
