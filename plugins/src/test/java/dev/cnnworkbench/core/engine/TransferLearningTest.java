package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.Normalization;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.spec.SpecException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a run from a saved network: layers copied, the first ones frozen, the output layer replaced for the new
 * classes, the learning rate scaled. The saved network is a tiny one trained on classes 0-4.
 */
class TransferLearningTest {

    @TempDir
    Path home;
    private Path pretrained;

    @BeforeEach
    void pretrainOnTheFirstFiveClasses() {
        Experiment experiment = TinySpecs.tiny("train.epochs=1", "data.classes=[0,1,2,3,4]");
        pretrained = RunArtifacts.dir(home, "pre");
        new Trainer(experiment, points -> { }, TrainingProgress.NONE, StopRule.NEVER, pretrained)
                .train(TinySpecs.split(experiment));
    }

    private ComputationGraph fineTune(String... overrides) {
        Experiment experiment = TinySpecs.tiny(overrides);
        Path runDir = RunArtifacts.dir(home, "fine");
        new Trainer(experiment, points -> { }, TrainingProgress.NONE, StopRule.NEVER, runDir)
                .train(split(experiment));
        return NetworkFiles.read(RunArtifacts.model(runDir));
    }

    /** The split a tracked run of {@code experiment} in {@code home} trains on. */
    private DataSplit split(Experiment experiment) {
        return DataSplit.of(experiment.spec(), TinySpecs.fashion(),
                Transfer.inherited(experiment.spec(), RunArtifacts.root(home)));
    }

    @Test
    void aTransferRunInheritsTheNormalisationItsSourceRunWasTrainedWith() {
        Experiment source = TinySpecs.tiny("train.epochs=1", "data.classes=[0,1,2,3,4]", "data.normalize=\"mean_std\"");
        DataSplit sourceSplit = TinySpecs.split(source);
        new Trainer(source, points -> { }, TrainingProgress.NONE, StopRule.NEVER, RunArtifacts.dir(home, "normed"))
                .train(sourceSplit);
        Normalization trained = sourceSplit.train().normalization();
        assertThat(trained.isNone()).isFalse();
        assertThat(RunArtifacts.normalizationOf(RunArtifacts.model(RunArtifacts.dir(home, "normed"))))
                .as("recorded with the run's networks").isEqualTo(trained);

        Experiment fine = TinySpecs.tiny("train.epochs=1", "data.classes=[5,6,7]",
                "model.init={\"from\": \"run:normed\", \"freeze\": 1}");
        assertThat(fine.spec().data().normalize()).as("the default with model.init").isEqualTo("source");
        DataSplit split = split(fine);
        assertThat(split.train().normalization()).isEqualTo(trained);
        assertThat(split.test().normalization()).isEqualTo(trained);
        assertThat(split.provenance()).containsEntry("data.mean", sourceSplit.provenance().get("data.mean"))
                .containsEntry("data.std", sourceSplit.provenance().get("data.std"))
                .containsEntry("data.normalize.from", "run:normed");
        Path fineDir = RunArtifacts.dir(home, "fine-normed");
        new Trainer(fine, points -> { }, TrainingProgress.NONE, StopRule.NEVER, fineDir).train(split);
        assertThat(RunArtifacts.normalizationOf(RunArtifacts.model(fineDir))).as("passed on").isEqualTo(trained);

        Experiment own = TinySpecs.tiny("data.classes=[5,6,7]", "model.init={\"from\": \"run:normed\"}",
                "data.normalize=\"none\"");
        assertThat(split(own).train().normalization().isNone()).as("unless the spec says otherwise").isTrue();
        Experiment fromUnnormalised = TinySpecs.tiny("data.classes=[5,6,7]", "model.init={\"from\": \"run:pre\"}");
        assertThat(split(fromUnnormalised).train().normalization().isNone()).isTrue();
        assertThatThrownBy(() -> TinySpecs.tiny("data.normalize=\"source\""))
                .hasMessageContaining("data.normalize: source takes the statistics of model.init's saved network");
    }

    @Test
    void frozenLayersKeepTheirWeightsAndTheRestTrains() {
        ComputationGraph before = NetworkFiles.read(RunArtifacts.model(pretrained));
        ComputationGraph after = fineTune("train.epochs=2", "data.classes=[5,6,7]",
                "model.init={\"from\": \"run:pre\", \"freeze\": 2}");
        assertThat(after.getLayer("conv1").params()).as("frozen").isEqualTo(before.getLayer("conv1").params());
        assertThat(after.getLayer("dense1").params()).as("trained").isNotEqualTo(before.getLayer("dense1").params());
        assertThat(((LayerVertex) after.getConfiguration().getVertices().get("conv1")).getLayerConf().getLayer())
                .isInstanceOf(FrozenLayer.class);
        assertThat(((LayerVertex) after.getConfiguration().getVertices().get("dense1")).getLayerConf().getLayer())
                .isNotInstanceOf(FrozenLayer.class);
    }

    @Test
    void replacesTheOutputLayerForTheNewNumberOfClasses() {
        ComputationGraph before = NetworkFiles.read(RunArtifacts.model(pretrained));
        assertThat(before.getLayer("output1").getParam("W").shape()).containsExactly(16, 5);
        ComputationGraph after = fineTune("train.epochs=1", "data.classes=[5,6,7]",
                "model.init={\"from\": \"file:" + RunArtifacts.model(pretrained) + "\"}");
        assertThat(after.getLayer("output1").getParam("W").shape()).containsExactly(16, 3);
        assertThat(after.outputSingle(Batches.toDataSet(Batches.gather(TinySpecs.split(TinySpecs.tiny()).test(), null,
                0, 4)).getFeatures()).shape()).containsExactly(4, 3);
    }

    @Test
    void startsFromTheSavedWeightsAtAScaledLearningRate() {
        Experiment experiment = TinySpecs.tiny("data.classes=[5,6,7,8,9]",
                "model.init={\"from\": \"run:pre\", \"freeze\": 1, \"lr_scale\": 0.1}");
        ComputationGraph net = NetworkFactory.build(experiment, 6, 5, RunArtifacts.root(home));
        ComputationGraph before = NetworkFiles.read(RunArtifacts.model(pretrained));
        assertThat(net.getLayer("conv1").params()).isEqualTo(before.getLayer("conv1").params());
        assertThat(net.getLayer("dense1").params()).isEqualTo(before.getLayer("dense1").params());
        assertThat(NetworkFactory.schedule(experiment, 6).valueAt(0, 0)).as("0.1 x adam's 0.003")
                .isCloseTo(0.0003, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void namesWhatDoesNotFitTheSavedNetwork() {
        assertThatThrownBy(() -> NetworkFactory.build(TinySpecs.tiny("model.layers[2].units=32",
                "model.init={\"from\": \"run:pre\"}"), 6, 10, RunArtifacts.root(home)))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("model.init.from: layer dense1 parameter W has shape [576, 32] here but [576, 16]");
        assertThatThrownBy(() -> NetworkFactory.build(TinySpecs.tiny("model.init={\"from\": \"run:nope\"}"), 6, 10,
                RunArtifacts.root(home))).hasMessageStartingWith("model.init.from: run nope has no saved network");
        assertThatThrownBy(() -> NetworkFactory.build(TinySpecs.tiny("model.init={\"from\": \"run:pre\"}"), 6, 10, null))
                .hasMessageContaining("needs a workbench home");
    }
}
