package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.summary.LayerSummary;
import dev.cnnworkbench.core.summary.ModelSummary;
import dev.cnnworkbench.core.summary.ReceptiveField;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The zoo's summaries against the numbers the lecture notes give (shared/reference/). Where the notes print a
 * table, the table is pasted here as text and parsed, so a reader can compare it with the notes line by line.
 * Where the notes round ("35K", "138M", "60 million", "1.8x10^9"), the exact count is asserted to round to the
 * notes' figure at the notes' precision. Nothing is initialised or trained: VGG-16 summarises from its
 * configuration alone.
 */
class ZooSummaryTest {

    private static final PluginRegistry PLUGINS = PluginRegistry.builtin();

    @TempDir
    Path home;

    private static ModelSummary summary(String zooFile) {
        var spec = new SpecParser().parseFile(Path.of("zoo", zooFile), List.of());
        return ModelSummary.of(new SpecResolver(PLUGINS).resolve(spec), 1000);
    }

    /** {@code value} rounded to {@code digits} significant figures. */
    private static long round(long value, int digits) {
        return new BigDecimal(value).round(new MathContext(digits)).longValueExact();
    }

    private static List<Long> shape(long... dims) {
        List<Long> out = new ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }

    // --- LeNet-5, the 1998 paper's sizes: notes 003, "Popular architectures", torchsummary table -------------

    /** The notes' table without its ReLU and Softmax rows (activations are part of our conv and dense rows). */
    private static final String LENET_1998_TABLE = """
            Conv2d-1	[-1, 6, 28, 28]	156
            MaxPool2d-3	[-1, 6, 14, 14]	0
            Conv2d-4	[-1, 16, 10, 10]	2,416
            MaxPool2d-6	[-1, 16, 5, 5]	0
            Linear-7	[-1, 120]	48,120
            Linear-9	[-1, 84]	10,164
            Linear-11	[-1, 10]	850
            """;

    @Test
    void lenet1998MatchesTheNotesTableRowByRowAndTotals61706() {
        ModelSummary s = summary("lenet5-1998.json");

        assertRowsMatchTorchTable(s.layers(), LENET_1998_TABLE);
        assertThat(s.totalParams()).as("Total params: 61,706").isEqualTo(61_706L);
        assertThat(s.storedValues()).isEqualTo(61_706L);
        // Not in the notes; follows from their conv formula H'*W'*C_out*(K*K*C_in) and in*out for dense layers.
        assertThat(s.totalMacs()).isEqualTo(6L * 28 * 28 * 25 + 16L * 10 * 10 * 6 * 25 + 400L * 120 + 120L * 84 + 84L * 10);
        // Not in the notes; by hand: conv 5 -> pool 5 + 1 = 6 (jump 2) -> conv 6 + 4*2 = 14 -> pool 14 + 1*2 = 16.
        assertThat(s.receptiveField()).isEqualTo(new ReceptiveField("pool2", 16, 16));
    }

    private static final Pattern TORCH_ROW =
            Pattern.compile("(\\w+)-\\d+\\s+\\[-1?((?:,\\s*\\d+)+)]\\s+([\\d,]+)");

    private static void assertRowsMatchTorchTable(List<LayerSummary> rows, String table) {
        List<String> lines = table.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TORCH_ROW.matcher(lines.get(i).strip());
            assertThat(m.matches()).as("table row %s", lines.get(i)).isTrue();
            List<Long> dims = new ArrayList<>();
            for (String d : m.group(2).substring(1).split(",")) {
                dims.add(Long.parseLong(d.strip()));
            }
            LayerSummary row = rows.get(i);
            String expectedType = switch (m.group(1)) {
                case "Conv2d" -> "conv2d";
                case "MaxPool2d" -> "maxpool";
                case "Dropout" -> "dropout";
                default -> i == rows.size() - 1 ? "output" : "dense";
            };
            assertThat(row.type()).as(lines.get(i)).isEqualTo(expectedType);
            assertThat(row.outputShape()).as(lines.get(i)).isEqualTo(dims);
            assertThat(row.params()).as(lines.get(i)).isEqualTo(number(m.group(3)));
        }
    }

    // --- LeNet-5 20/50/500: notes 000, "Example: LeNet-5" table -----------------------------------------------

    @Test
    void lenet20_50_500MatchesTheNotesTableAndHas1256080Parameters() {
        ModelSummary s = summary("lenet5-20-50-500.json");

        assertThat(s.input()).containsExactly(1, 28, 28);
        assertThat(s.layers()).extracting(LayerSummary::outputShape).containsExactly(
                shape(20, 28, 28), shape(20, 14, 14), shape(50, 14, 14), shape(50, 7, 7), shape(2450), shape(500),
                shape(10));
        // Weight sizes 20x1x5x5, 50x20x5x5, 2450x500, 500x10; one bias per output.
        assertThat(s.layers()).extracting(LayerSummary::params).containsExactly(
                20L * 1 * 5 * 5 + 20, 0L, 50L * 20 * 5 * 5 + 50, 0L, 0L, 2450L * 500 + 500, 500L * 10 + 10);
        assertThat(s.layer("flatten1").type()).isEqualTo("flatten");
        assertThat(s.totalParams()).isEqualTo(1_256_080L);
        // Not in the notes: their multiply-add rule ("each output is the inner product of two C_in x K x K
        // tensors") applied to this network.
        assertThat(s.layer("conv1").macs()).isEqualTo(20L * 28 * 28 * 25);
        assertThat(s.layer("conv2").macs()).isEqualTo(50L * 14 * 14 * 20 * 25);
        assertThat(s.totalMacs()).isEqualTo(392_000L + 4_900_000L + 1_225_000L + 5_000L);
    }

    // --- AlexNet: notes 002, "Case Study: AlexNet", and notes 001 ("60 million parameters") -------------------

    private static final String ALEXNET_VOLUMES = """
            [55x55x96] CONV1: 96 11x11 filters at stride 4, pad 0
            [27x27x96] MAX POOL1: 3x3 filters at stride 2
            [27x27x256] CONV2: 256 5x5 filters at stride 1, pad 2
            [13x13x256] MAX POOL2: 3x3 filters at stride 2
            [13x13x384] CONV3: 384 3x3 filters at stride 1, pad 1
            [13x13x384] CONV4: 384 3x3 filters at stride 1, pad 1
            [13x13x256] CONV5: 256 3x3 filters at stride 1, pad 1
            [6x6x256] MAX POOL3: 3x3 filters at stride 2
            [4096] FC6: 4096 neurons
            [4096] FC7: 4096 neurons
            [1000] FC8: 1000 neurons (class scores)
            """;

    private static final Pattern VOLUME = Pattern.compile("\\[(\\d+)(?:x(\\d+)x(\\d+))?] (.*)");

    @Test
    void alexnetHasTheNotesOutputVolumesAndConv1Parameters() {
        ModelSummary s = summary("alexnet.json");

        assertThat(s.input()).containsExactly(3, 227, 227);
        // The notes' NORM1/NORM2 rows keep the volume; the zoo spec leaves them out (no LRN plugin), and its
        // dropout rows (the notes: "dropout 0.5") keep the volume too.
        List<LayerSummary> rows = s.layers().stream().filter(l -> !l.type().equals("dropout")).toList();
        List<String> lines = ALEXNET_VOLUMES.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = VOLUME.matcher(lines.get(i).strip());
            assertThat(m.matches()).isTrue();
            List<Long> expected = m.group(2) == null ? shape(Long.parseLong(m.group(1)))
                    : shape(Long.parseLong(m.group(3)), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            assertThat(rows.get(i).outputShape()).as(lines.get(i)).isEqualTo(expected);
            assertThat(rows.get(i).type()).as(lines.get(i))
                    .isEqualTo(m.group(4).startsWith("CONV") ? "conv2d" : m.group(4).startsWith("MAX") ? "maxpool"
                            : i == lines.size() - 1 ? "output" : "dense");
        }

        LayerSummary conv1 = s.layer("conv1");
        assertThat(conv1.shapeText()).isEqualTo("96 x 55 x 55");
        long weights = conv1.params() - 96;
        assertThat(weights).as("(11 x 11 x 3) x 96").isEqualTo(34_848L);
        assertThat(round(weights, 2)).as("the notes' \"35K\"").isEqualTo(35_000L);
        assertThat(s.layer("pool1").params()).as("POOL1 parameters: 0!").isZero();
        // The notes' (001) "60 million parameters" is the paper's two-tower net; their simplified one-tower net
        // has 62,378,344, which is 60 million at the one significant figure the notes give.
        assertThat(s.totalParams()).isEqualTo(62_378_344L);
        assertThat(round(s.totalParams(), 1)).isEqualTo(60_000_000L);
    }

    // --- VGG-16: notes 002 ("not counting biases", memory and params per layer) and 003 (torchsummary) -------

    /** Notes 003, VGG16 table without its ReLU and Softmax rows: parameters with biases. */
    private static final String VGG16_TORCH_TABLE = """
            Conv2d-1	[-, 64, 224, 224]	1,792
            Conv2d-3	[-, 64, 224, 224]	36,928
            MaxPool2d-5	[-, 64, 112, 112]	0
            Conv2d-6	[-, 128, 112, 112]	73,856
            Conv2d-8	[-, 128, 112, 112]	147,584
            MaxPool2d-10	[-, 128, 56, 56]	0
            Conv2d-11	[-, 256, 56, 56]	295,168
            Conv2d-13	[-, 256, 56, 56]	590,080
            Conv2d-15	[-, 256, 56, 56]	590,080
            MaxPool2d-17	[-, 256, 28, 28]	0
            Conv2d-18	[-, 512, 28, 28]	1,180,160
            Conv2d-20	[-, 512, 28, 28]	2,359,808
            Conv2d-22	[-, 512, 28, 28]	2,359,808
            MaxPool2d-24	[-, 512, 14, 14]	0
            Conv2d-25	[-, 512, 14, 14]	2,359,808
            Conv2d-27	[-, 512, 14, 14]	2,359,808
            Conv2d-29	[-, 512, 14, 14]	2,359,808
            MaxPool2d-31	[-, 512, 7, 7]	0
            Linear-32	[-, 4096]	102,764,544
            Dropout-34	[-, 4096]	0
            Linear-35	[-, 4096]	16,781,312
            Dropout-37	[-, 4096]	0
            Linear-38	[-, 1000]	4,097,000
            """;

    /** Notes 002: output volume, "memory" and "params (not counting biases)" per layer. */
    private static final String VGG16_MEMORY_TABLE = """
            CONV3-64: [224x224x64]	memory: 224*224*64=3.2M	params: (3*3*3)*64 = 1,728
            CONV3-64: [224x224x64]	memory: 224*224*64=3.2M	params: (3*3*64)*64 = 36,864
            POOL2: [112x112x64]	memory: 112*112*64=800K	params: 0
            CONV3-128: [112x112x128]	memory: 112*112*128=1.6M	params: (3*3*64)*128 = 73,728
            CONV3-128: [112x112x128]	memory: 112*112*128=1.6M	params: (3*3*128)*128 = 147,456
            POOL2: [56x56x128]	memory: 56*56*128=400K	params: 0
            CONV3-256: [56x56x256]	memory: 56*56*256=800K	params: (3*3*128)*256 = 294,912
            CONV3-256: [56x56x256]	memory: 56*56*256=800K	params: (3*3*256)*256 = 589,824
            CONV3-256: [56x56x256]	memory: 56*56*256=800K	params: (3*3*256)*256 = 589,824
            POOL2: [28x28x256]	memory: 28*28*256=200K	params: 0
            CONV3-512: [28x28x512]	memory: 28*28*512=400K	params: (3*3*256)*512 = 1,179,648
            CONV3-512: [28x28x512]	memory: 28*28*512=400K	params: (3*3*512)*512 = 2,359,296
            CONV3-512: [28x28x512]	memory: 28*28*512=400K	params: (3*3*512)*512 = 2,359,296
            POOL2: [14x14x512]	memory: 14*14*512=100K	params: 0
            CONV3-512: [14x14x512]	memory: 14*14*512=100K	params: (3*3*512)*512 = 2,359,296
            CONV3-512: [14x14x512]	memory: 14*14*512=100K	params: (3*3*512)*512 = 2,359,296
            CONV3-512: [14x14x512]	memory: 14*14*512=100K	params: (3*3*512)*512 = 2,359,296
            POOL2: [7x7x512]	memory: 7*7*512=25K	params: 0
            FC: [1x1x4096]	memory: 4096	params: 7*7*512*4096 = 102,760,448
            FC: [1x1x4096]	memory: 4096	params: 4096*4096 = 16,777,216
            FC: [1x1x1000]	memory: 1000	params: 4096*1000 = 4,096,000
            """;

    private static final Pattern MEMORY_ROW = Pattern.compile(
            "([\\w-]+): \\[(\\d+)x(\\d+)x(\\d+)]\\s+memory: (?:([\\d*]+)=\\S+|(\\d+))\\s+params: (?:.*= )?([\\d,]+)");

    @Test
    void vgg16MatchesTheNotesTorchTableAndTotals138357544() {
        ModelSummary s = summary("vgg16.json");

        assertThat(s.input()).containsExactly(3, 224, 224);
        assertRowsMatchTorchTable(s.layers(), VGG16_TORCH_TABLE);
        assertThat(s.totalParams()).as("Total params: 138,357,544").isEqualTo(138_357_544L);
        assertThat(round(s.totalParams(), 3)).as("TOTAL params: 138M; Table 2, D: 138 (millions)")
                .isEqualTo(138_000_000L);
        // Notes 001: "133+ million parameters (double compared to AlexNet)".
        assertThat(Math.round((double) s.totalParams() / summary("alexnet.json").totalParams())).isEqualTo(2L);
    }

    @Test
    void vgg16MatchesTheNotesMemoryAndBiasFreeParameterColumns() {
        ModelSummary s = summary("vgg16.json");
        List<LayerSummary> rows = s.layers().stream().filter(l -> !l.type().equals("dropout")).toList();
        List<String> lines = VGG16_MEMORY_TABLE.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSameSizeAs(lines);

        long notesMemory = 224L * 224 * 3; // INPUT: memory 224*224*3=150K
        long ourMemory = (long) s.input().get(0) * s.input().get(1) * s.input().get(2);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = MEMORY_ROW.matcher(line.strip());
            assertThat(m.matches()).as(line).isTrue();
            LayerSummary row = rows.get(i);
            long h = Long.parseLong(m.group(2));
            long w = Long.parseLong(m.group(3));
            long c = Long.parseLong(m.group(4));
            assertThat(row.outputShape()).as(line).isEqualTo(h == 1 && w == 1 ? shape(c) : shape(c, h, w));
            long memory = m.group(5) == null ? Long.parseLong(m.group(6))
                    : List.of(m.group(5).split("\\*")).stream().mapToLong(Long::parseLong).reduce(1, (a, b) -> a * b);
            assertThat(row.outputSize()).as(line).isEqualTo(memory);
            long biases = row.type().equals("maxpool") ? 0 : c;
            assertThat(row.params() - biases).as(line + " (not counting biases)").isEqualTo(number(m.group(7)));
            notesMemory += memory;
            ourMemory += row.outputSize();
        }
        // The notes' "TOTAL memory: 24M" does not follow from their own column, which sums to 15,237,608 values
        // (about 15.2M; 24M would need some layers counted twice). We match the column, not that total.
        assertThat(notesMemory).isEqualTo(15_237_608L);
        assertThat(ourMemory).isEqualTo(notesMemory);
    }

    // --- ResNet-18: notes 002, "Case Study: ResNet" table (18-layer column) -----------------------------------

    @Test
    void resnet18HasTheNotesStageSizesAnd1Point8BillionMultiplyAdds() {
        ModelSummary s = summary("resnet18.json");

        assertThat(s.input()).containsExactly(3, 224, 224);
        assertThat(s.layer("conv1").outputShape()).as("conv1 112x112, 7x7, 64, stride 2").isEqualTo(shape(64, 112, 112));
        assertThat(s.layer("pool1").outputShape()).as("3x3 max pool, stride 2 (start of conv2_x)")
                .isEqualTo(shape(64, 56, 56));
        List<LayerSummary> blocks = s.layersOfType("residual");
        assertThat(blocks).extracting(LayerSummary::outputShape).containsExactly(
                shape(64, 56, 56), shape(64, 56, 56),     // conv2_x 56x56, [3x3, 64] x 2
                shape(128, 28, 28), shape(128, 28, 28),   // conv3_x 28x28
                shape(256, 14, 14), shape(256, 14, 14),   // conv4_x 14x14
                shape(512, 7, 7), shape(512, 7, 7));      // conv5_x 7x7
        assertThat(s.layer("gap1").outputShape()).as("1x1 average pool").isEqualTo(shape(512));
        assertThat(s.layer("output1").outputShape()).as("1000-d fc").isEqualTo(shape(1000));

        // "FLOPs 1.8x10^9": the paper counts multiply-adds. Ours, exactly: convolutions (projections included)
        // and the fc layer.
        assertThat(s.totalMacs()).isEqualTo(1_814_073_344L);
        assertThat(round(s.totalMacs(), 2)).isEqualTo(1_800_000_000L);

        // Not in the notes: torchvision's ResNet-18 has 11,689,512; ours adds the stem convolution's 64 biases.
        assertThat(s.totalParams()).isEqualTo(11_689_512L + 64);
        // Batchnorm counts gamma and beta; DL4J also stores running mean and variance, two values for each of
        // 4,800 channels: stem 64, two per block (2 * 2 * (64 + 128 + 256 + 512)), three projections (128 + 256 + 512).
        assertThat(s.storedValues() - s.totalParams())
                .isEqualTo(2L * (64 + 2 * 2 * (64 + 128 + 256 + 512) + 128 + 256 + 512));
    }

    // --- The command ---------------------------------------------------------------------------------------

    private String summaryCommand(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new SummaryCommand()).execute(args);
            assertThat(code).isZero();
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void summaryCommandPrintsJsonWithLayersAndTotals() {
        JsonObject json = new JsonObject(summaryCommand("zoo/lenet5-20-50-500.json", "--format", "json",
                "--home", home.toString()));

        assertThat(json.getLong("totalParams")).isEqualTo(1_256_080L);
        assertThat(json.getLong("totalMacs")).isEqualTo(6_522_000L);
        JsonArray layers = json.getJsonArray("layers");
        assertThat(layers).hasSize(7);
        JsonObject conv1 = layers.getJsonObject(0);
        assertThat(conv1.getString("name")).isEqualTo("conv1");
        assertThat(conv1.getString("type")).isEqualTo("conv2d");
        assertThat(conv1.getJsonArray("outputShape").stream().map(Number.class::cast).map(Number::longValue))
                .containsExactly(20L, 28L, 28L);
        assertThat(conv1.getLong("params")).isEqualTo(520L);
        assertThat(conv1.getLong("macs")).isEqualTo(392_000L);
        assertThat(json.getJsonObject("receptiveField").getString("layer")).isEqualTo("pool2");
        assertThat(json.getString("note")).contains("gamma and beta");
    }

    @Test
    void summaryCommandTableShowsRowsTotalsAndTheCountingNote() {
        String table = summaryCommand("zoo/resnet18.json", "--home", home.toString());

        assertThat(table).contains("conv1").contains("64 x 112 x 112").contains("residual")
                .contains("512 x 7 x 7").contains("1,814,073,344").contains("11,689,576")
                .contains("receptive field of").contains("batchnorm running statistics")
                .contains(ModelSummary.COUNTING_NOTE);
    }

    @Test
    void overridesApplyBeforeSummarising() {
        JsonObject json = new JsonObject(summaryCommand("zoo/lenet5-20-50-500.json", "--format", "json",
                "--home", home.toString(), "--set", "model.layers[0].filters=10"));

        assertThat(json.getJsonArray("layers").getJsonObject(0).getLong("params")).isEqualTo(10L * 25 + 10);
    }
}
