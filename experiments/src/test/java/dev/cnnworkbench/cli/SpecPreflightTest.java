package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.HomeCheck;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything that can be checked before a run is recorded is checked then, every problem at once, against the real
 * plugins: sizes that would kill the JVM (refused with the memory estimate and the limit), integers that would wrap,
 * fields longer than the store keeps, data that does not fit the spec, a network to start from that is missing or
 * outside the home of a posted run, and a home that cannot keep the run's files. Only the CLI cases that pass step 1
 * read the data; nothing trains.
 */
class SpecPreflightTest {

    private static final Path LENET = Path.of("../experiments/lenet5-fashion.json");
    private static final SpecResolver RESOLVER = new SpecResolver(PluginRegistry.builtin());

    @TempDir
    Path home;

    private static List<SpecError> errors(String... overrides) {
        return catchThrowableOfType(SpecException.class,
                () -> Preflight.file(LENET, List.of(overrides), RESOLVER)).errors();
    }

    private static List<String> paths(List<SpecError> errors) {
        return errors.stream().map(SpecError::path).toList();
    }

    @Test
    void sizesThatCannotFitThisJvmAreRefusedWithTheEstimateAndTheLimit() {
        for (String[] killer : List.of(
                new String[] {"model.layers[0].filters=1000000000"},
                new String[] {"model.layers[4].units=1e9"},
                new String[] {"model.input=[1,100000,100000]"},
                new String[] {"train.batch=1048576", "model.layers[0].filters=512"})) {
            List<SpecError> errors = errors(killer);
            assertThat(errors).as(String.join(" ", killer)).singleElement().satisfies(e -> {
                assertThat(e.path()).isIn("model.layers", "train.batch");
                assertThat(e.message()).contains("needs at least", "limit of", "off-heap");
            });
        }
    }

    @Test
    void integersThatWouldWrapOrAreFractionsAreRefusedWithTheirPaths() {
        assertThat(errors("train.epochs=4294967296")).extracting(SpecError::toString)
                .containsExactly("train.epochs: must be <= 1000000, got 4294967296");
        assertThat(errors("train.batch=2147483648")).extracting(SpecError::path).containsExactly("train.batch");
        assertThat(errors("train.batch=1e9")).extracting(SpecError::toString)
                .containsExactly("train.batch: must be <= 1048576, got 1000000000");
        assertThat(errors("train.epochs=1.5")).extracting(SpecError::toString)
                .containsExactly("train.epochs: must be a whole number, got 1.5");
        assertThat(errors("data.limit=99999999999999999999999")).extracting(SpecError::path).containsExactly("data.limit");
        assertThat(errors("model.input[1]=4294967324")).extracting(SpecError::path).containsExactly("model.input[1]");
        assertThat(errors("model.layers[0].filters=4294967297")).extracting(SpecError::path)
                .containsExactly("model.layers[0].filters");
        assertThat(Preflight.file(LENET, List.of("train.epochs=2.0", "train.seed=9007199254740993"), RESOLVER)
                .spec().train()).satisfies(t -> {
                    assertThat(t.epochs()).isEqualTo(2);
                    assertThat(t.seed()).isEqualTo(9007199254740993L);
                });
    }

    @Test
    void fieldsLongerThanTheStoreKeepsAreRefusedAtValidation() {
        assertThat(errors("name=\"" + "n".repeat(256) + "\"")).extracting(SpecError::toString)
                .containsExactly("name: must be at most 255 characters (the store keeps no more), got 256");
        assertThat(errors("experiment=\"" + "e".repeat(300) + "\"")).extracting(SpecError::path)
                .containsExactly("experiment");
        assertThat(errors("data.path=\"/" + "p".repeat(4000) + "\"")).extracting(SpecError::path)
                .containsExactly("data.path");
        assertThat(Preflight.file(LENET, List.of("name=\"" + "n".repeat(255) + "\""), RESOLVER).spec().name())
                .hasSize(255);
    }

    @Test
    void everyProblemOfASpecIsReportedAtOnceAndTopLevelTyposGetASuggestion() {
        List<SpecError> all = errors("train.epochs=0", "model.layers[0].kernel=0", "colour=1", "experiement=\"x\"");
        assertThat(paths(all)).containsExactlyInAnyOrder("train.epochs", "model.layers[0].kernel", "colour",
                "experiement");
        assertThat(all).filteredOn(e -> e.path().equals("experiement")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("did you mean experiment?"));
    }

    @Test
    void aKernelLargerThanItsInputIsRefusedBeforeAnythingIsRecorded() {
        assertThat(errors("model.input=[1,3,3]", "model.layers[0].padding=0")).singleElement().satisfies(e -> {
            assertThat(e.path()).startsWith("model");
            assertThat(e.message()).containsAnyOf("too small", "do not fit");
        });
    }

    @Test
    void dataThatDoesNotFitTheSpecIsRefusedBeforeTheRunIsRecorded() {
        assertThat(preflightErrors("data.classes=[0,12]")).extracting(SpecError::path).containsExactly("data.classes[1]");
        assertThat(preflightErrors("train.validation=70000")).extracting(SpecError::path)
                .containsExactly("train.validation");
        assertThat(preflightErrors("data.dataset=\"cifar-11\"")).extracting(SpecError::path)
                .containsExactly("data.dataset");
    }

    @Test
    void aMissingNetworkToStartFromIsRefusedAndAPostedRunCannotProbeFilesOutsideTheHome() throws Exception {
        assertThat(preflightErrors("model.init={\"from\": \"run:0123456789ab\"}")).singleElement()
                .satisfies(e -> assertThat(e.toString()).startsWith("model.init.from: run 0123456789ab has no saved"));
        String existing = confinedError("file:/etc/passwd");
        String missing = confinedError("file:/etc/no-such-file-here");
        assertThat(existing).isEqualTo(missing).contains("under the workbench home").doesNotContain("no such file");
        assertThat(confinedError("file:" + home.resolve("../../etc/passwd"))).isEqualTo(existing);
        Path link = home.resolve("artifacts/escape.zip");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        assertThat(confinedError("file:" + link)).isEqualTo(existing);
    }

    @Test
    void aHomeThatCannotKeepTheRunsFilesIsSaidWithThePathAndTheCause() throws Exception {
        Path file = Files.writeString(home.resolve("a-file"), "not a folder");
        Path under = file.resolve("home"); // cannot be made, even by root: its parent is a regular file
        HomeCheck.Unusable unwritable = catchThrowableOfType(HomeCheck.Unusable.class,
                () -> HomeCheck.check(under, 1, "the run's files"));
        assertThat(unwritable.getMessage()).contains(under.toString()).contains("cannot write");
        HomeCheck.Unusable full = catchThrowableOfType(HomeCheck.Unusable.class,
                () -> HomeCheck.check(home, Long.MAX_VALUE / 2, "the run's files"));
        assertThat(full.getMessage()).contains(home.toString(), "No space left on device", "is free");
        HomeCheck.check(home, 1, "the run's files"); // a writable home with room passes
    }

    @Test
    void theCommandLineExitsWithTheRightCodeBeforeRecordingAnything() throws Exception {
        InProcessCli.Result wrapped = InProcessCli.run("run", LENET.toString(), "--home", home.toString(),
                "--set", "train.epochs=4294967296");
        assertThat(wrapped.exitCode()).isEqualTo(2);
        assertThat(wrapped.err()).contains("train.epochs: must be <= 1000000");
        InProcessCli.Result all = InProcessCli.run("run", LENET.toString(), "--home", home.toString(), "--set",
                "train.epochs=0", "--set", "model.layers[0].kernel=0", "--set", "colour=1");
        assertThat(all.exitCode()).isEqualTo(2);
        assertThat(all.err()).contains("train.epochs", "model.layers[0].kernel", "colour");
        InProcessCli.Result killer = InProcessCli.run("run", LENET.toString(), "--home", home.toString(),
                "--set", "model.layers[0].filters=1000000000");
        assertThat(killer.exitCode()).isEqualTo(2);
        assertThat(killer.err()).contains("off-heap").doesNotContain("\tat ");
        Path blocked = Files.writeString(home.resolve("blocker"), "x").resolve("home");
        InProcessCli.Result readOnly = InProcessCli.run("run", LENET.toString(), "--home", blocked.toString(),
                "--set", "train.epochs=1", "--set", "data.limit=200", "--set", "train.validation=0");
        assertThat(readOnly.exitCode()).isEqualTo(4);
        assertThat(readOnly.err()).contains(blocked.toString());
        assertThat(Files.exists(home.resolve("workbench.mv.db"))).isFalse();
    }

    @Test
    void aRunWhoseStartTheStoreRefusesIsNotTrainedAndExitsWithTheStoresReason() throws Exception {
        Experiment valid = Preflight.file(LENET, List.of("train.epochs=1"), RESOLVER);
        var s = valid.spec();
        // A name the store cannot keep, as a spec from before validation knew the limit would bring.
        var tooLong = new dev.cnnworkbench.core.spec.ExperimentSpec("n".repeat(256), s.experiment(), s.data(),
                s.model(), s.optimizer(), s.schedule(), s.regularization(), s.augment(), s.train(), s.diagnostics(),
                s.ensemble());
        Experiment refused = new Experiment(tooLong, valid.layers(), valid.optimizer(), valid.schedule(),
                valid.augment());
        HomeOptions options = new HomeOptions();
        options.home = home;
        try (LocalStack stack = LocalStack.start(options)) {
            var e = catchThrowableOfType(dev.cnnworkbench.storage.StorageException.class,
                    () -> RunCommand.execute(refused, null, stack));
            assertThat(e.getMessage()).contains("the store refused the start", "nothing was trained");
            assertThat(stack.queries().listRuns()).isEmpty();
        }
        Path artifacts = home.resolve("artifacts");
        if (Files.isDirectory(artifacts)) {
            try (var runs = Files.list(artifacts)) {
                assertThat(runs).as("no network was trained or saved").isEmpty();
            }
        }
    }

    private List<SpecError> preflightErrors(String... overrides) {
        Experiment experiment = Preflight.file(LENET, List.of(overrides), RESOLVER);
        return catchThrowableOfType(SpecException.class, () -> Preflight.beforeRecording(experiment, home, null))
                .errors();
    }

    private String confinedError(String from) {
        Experiment experiment = Preflight.file(LENET, List.of("model.init={\"from\": \"" + from + "\"}",
                "data.dataset=\"none\""), RESOLVER);
        List<SpecError> errors = catchThrowableOfType(SpecException.class,
                () -> Preflight.beforeRecording(experiment, home, home)).errors();
        return errors.stream().filter(e -> e.path().equals("model.init.from")).findFirst().orElseThrow().message();
    }
}
