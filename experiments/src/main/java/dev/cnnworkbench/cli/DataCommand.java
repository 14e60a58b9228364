package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.data.ChannelStats;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.diagnostics.SampleGrid;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench data inspect PATH|SPEC}: what a data set holds, as the workbench would read it. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Look at data sets.",
        subcommands = DataCommand.Inspect.class)
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Decode a data set (a folder, manifest, CIFAR or IDX path, or a spec's data section) and print"
                    + " its classes with counts per split, the image shapes seen, unreadable files, per-channel mean"
                    + " and std of the training split, and the path of a PNG grid of samples per class.")
    static final class Inspect implements Callable<Integer> {

        enum Format { text, json }

        @Parameters(index = "0", paramLabel = "PATH|SPEC",
                description = "a data folder, manifest (.csv), CIFAR file or folder, IDX folder, or a spec (.json)")
        String target;

        @Option(names = "--dataset", description = "the format of PATH (default: guessed from its files): "
                + "folder, manifest, cifar10, cifar100, idx")
        String dataset;

        @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a value of the spec, e.g. "
                + "--set data.channels=1")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--grid", paramLabel = "FILE", description = "where the sample grid goes (default: "
                + "data-samples.png in the current folder)")
        Path grid = Path.of("data-samples.png");

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Override
        public Integer call() {
            DataSpec spec = spec();
            Datasets.TrainTest data = Datasets.load(spec);
            ImageSet train = data.train();
            ChannelStats stats = ChannelStats.of(train);
            Path png = grid.toAbsolutePath();
            try {
                if (png.getParent() != null) {
                    Files.createDirectories(png.getParent());
                }
                ImageIO.write(SampleGrid.render("samples per class: " + spec.path(), train, data.classNames(), 8),
                        "png", png.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
            }
            JsonObject out = report(spec, data, stats).put("samples", png.toString());
            System.out.print(format == Format.json ? out.encodePrettily() + "\n" : text(out));
            return 0;
        }

        private DataSpec spec() {
            if (target.endsWith(".json")) {
                DataSpec d = new SpecParser().parseFile(Path.of(target), overrides).data();
                return dataset == null ? d : with(d, dataset, d.path());
            }
            // a placeholder spec around the data section, so --set data.* reads and checks as in a run
            DataSpec base = new SpecParser().parse(SpecJson.readTree("{\"model\": {\"input\": [1, 1, 1], \"layers\":"
                    + " [{\"type\": \"output\", \"units\": 2}]}, \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1},"
                    + " \"train\": {\"epochs\": 1, \"batch\": 1}}", "inspect"), overrides, "inspect").data();
            return with(base, dataset == null ? guess(Path.of(target)) : dataset, target);
        }

        private static DataSpec with(DataSpec d, String dataset, String path) {
            return new DataSpec(dataset, path, d.limit(), d.testLimit(), d.classes(), d.perClass(), d.channels(),
                    d.size(), d.resize(), d.onBad(), d.normalize(), d.labels(), d.testFraction(), d.splitSeed(),
                    d.classNames(), d.cache());
        }

        /** The format of {@code path} from its files. */
        static String guess(Path path) {
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (Files.isRegularFile(path)) {
                return name.endsWith(".csv") ? "manifest" : "cifar10";
            }
            if (Files.isRegularFile(path.resolve("test_batch.bin"))) {
                return "cifar10";
            }
            if (Files.isRegularFile(path.resolve("test.bin")) && Files.isRegularFile(path.resolve("train.bin"))) {
                return "cifar100";
            }
            if (Files.isRegularFile(path.resolve("train-images-idx3-ubyte.gz"))
                    || Files.isRegularFile(path.resolve("train-images-idx3-ubyte"))) {
                return "idx";
            }
            return "folder";
        }

        static JsonObject report(DataSpec spec, Datasets.TrainTest data, ChannelStats stats) {
            JsonArray classes = new JsonArray();
            int[] train = counts(data.train(), data.classNames().size());
            int[] test = counts(data.test(), data.classNames().size());
            int[] val = data.validation() == null ? new int[train.length] : counts(data.validation(), train.length);
            for (int c = 0; c < train.length; c++) {
                classes.add(new JsonObject().put("label", c).put("name", data.classNames().get(c))
                        .put("train", train[c]).put("val", val[c]).put("test", test[c]));
            }
            JsonArray mean = new JsonArray();
            JsonArray std = new JsonArray();
            for (int c = 0; c < stats.mean().length; c++) {
                mean.add(stats.mean()[c]);
                std.add(stats.std()[c]);
            }
            ImageSet t = data.train();
            return new JsonObject().put("format", spec.dataset()).put("path", spec.path())
                    .put("fingerprint", data.fingerprint())
                    .put("shape", new JsonArray(List.of(t.channels(), t.height(), t.width())))
                    .put("seen", new JsonObject(new TreeMap<String, Object>(Map.copyOf(data.seen()))))
                    .put("classes", classes)
                    .put("totals", new JsonObject().put("train", t.size())
                            .put("val", data.validation() == null ? 0 : data.validation().size())
                            .put("test", data.test().size()))
                    .put("unreadable", new JsonArray(List.copyOf(data.skipped())))
                    .put("mean", mean).put("std", std);
        }

        private static int[] counts(ImageSet set, int classes) {
            int[] out = new int[classes];
            for (int l : set.labels()) {
                out[l]++;
            }
            return out;
        }

        private static String text(JsonObject r) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%s %s%nfingerprint %s%nshape (channels x height x width) %s;"
                    + " files seen (HxWxC: images) %s%n%n", r.getString("format"), r.getString("path"),
                    r.getString("fingerprint"), r.getJsonArray("shape"), r.getJsonObject("seen").encode()));
            sb.append(String.format(Locale.ROOT, "%-5s %-24s %8s %8s %8s%n", "label", "class", "train", "val", "test"));
            for (Object o : r.getJsonArray("classes")) {
                JsonObject c = (JsonObject) o;
                sb.append(String.format(Locale.ROOT, "%-5d %-24s %8d %8d %8d%n", c.getInteger("label"),
                        c.getString("name"), c.getInteger("train"), c.getInteger("val"), c.getInteger("test")));
            }
            JsonObject t = r.getJsonObject("totals");
            sb.append(String.format(Locale.ROOT, "%-5s %-24s %8d %8d %8d%n%n", "", "total", t.getInteger("train"),
                    t.getInteger("val"), t.getInteger("test")));
            sb.append("per-channel mean (training split, 0..1 scale): ").append(r.getJsonArray("mean")).append('\n');
            sb.append("per-channel std: ").append(r.getJsonArray("std")).append('\n');
            JsonArray bad = r.getJsonArray("unreadable");
            sb.append("unreadable files: ").append(bad.size()).append('\n');
            bad.forEach(b -> sb.append("  ").append(b).append('\n'));
            sb.append("samples per class: ").append(r.getString("samples")).append('\n');
            return sb.toString();
        }
    }
}
