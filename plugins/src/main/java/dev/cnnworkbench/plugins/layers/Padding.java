package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.plugin.Params;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ConvolutionMode;

/** The {@code padding} parameter shared by convolutions and poolings: a size, a pair, or {@code "same"}. */
final class Padding {

    static final String SAME = "same";

    private Padding() {
    }

    /** Applies {@code padding} of {@code p} to a layer builder. */
    static void apply(Params p, Consumer<ConvolutionMode> mode, Consumer<int[]> padding) {
        if (p.isWord("padding", SAME)) {
            mode.accept(ConvolutionMode.Same);
        } else {
            mode.accept(ConvolutionMode.Truncate);
            padding.accept(p.getPair("padding"));
        }
    }
}
