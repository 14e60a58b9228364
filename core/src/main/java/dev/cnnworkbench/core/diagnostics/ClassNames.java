package dev.cnnworkbench.core.diagnostics;

import java.util.ArrayList;
import java.util.List;

/** The names of a data set's classes, for plots and reports. Stateless. */
final class ClassNames {

    /** Fashion-MNIST's labels 0 to 9, as its authors name them. */
    static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private ClassNames() {
    }

    /** The names of {@code classes} classes of data set {@code dataset}: Fashion-MNIST's, else the label numbers. */
    static List<String> of(String dataset, int classes) {
        if ("fashion-mnist".equals(dataset) && classes == FASHION_MNIST.size()) {
            return FASHION_MNIST;
        }
        List<String> out = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            out.add(String.valueOf(c));
        }
        return out;
    }
}
