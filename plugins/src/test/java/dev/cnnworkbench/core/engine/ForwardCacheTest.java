package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.experiment.Experiment;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The forward cache ({@link NetworkFactory#FORWARD_CACHE}) is a speed lever only: a network that keeps its
 * pre-activations for the backward pass trains to bitwise the same parameters as one that recomputes them.
 */
class ForwardCacheTest {

    @Test
    void networksBuiltWithTheForwardCacheTrainToTheSameParametersAsWithout() {
        Experiment tiny = TinySpecs.tiny();
        ComputationGraph cached = NetworkFactory.build(tiny, 10, 10);
        assertThat(cached.getConfiguration().getCacheMode()).isEqualTo(CacheMode.DEVICE);
        ComputationGraphConfiguration conf = NetworkFactory.configure(tiny, NetworkFactory.schedule(tiny, 10), 10);
        conf.setCacheMode(CacheMode.NONE);
        ComputationGraph recomputing = NetworkFactory.create(conf, null);
        assertThat(recomputing.params()).isEqualTo(cached.params());

        DataSplit split = TinySpecs.split(tiny);
        for (int b = 0; b < 6; b++) {
            ImageBatch batch = Batches.gather(split.train(), null, b * 50, b * 50 + 50);
            DataSet ds = Batches.toDataSet(batch);
            cached.fit(ds);
            recomputing.fit(ds);
        }
        assertThat(cached.params().equalsWithEps(recomputing.params(), 0)).isTrue();
        assertThat(cached.score()).isEqualTo(recomputing.score());
    }
}
