package dev.cnnworkbench.core.plugin.updater;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The state half of a DL4J gradient updater: {@code k} arrays the size of the gradient (velocity, moments,
 * caches), held as consecutive slices of the view array DL4J allocates ({@code k * numParams} long), all starting
 * at zero as in the lecture notes. Subclasses implement {@link #applyUpdater} only: overwrite the gradient with
 * the step that DL4J then subtracts from the parameters. One instance per updater block, used by one thread.
 *
 * <p>Part of the plugin API: an optimizer plugin's {@link IUpdater#instantiate} returns
 * {@code onView(new MyUpdater(this), viewArray, initialize)}, its {@link IUpdater#stateSize} is
 * {@code keys * numParams}, and {@code applyUpdater(gradient, iteration, epoch)} writes the step into
 * {@code gradientView(gradient)} using {@code state(0)}, {@code state(1)}... (see docs/writing-plugins.md).
 */
public abstract class StatefulUpdater<T extends IUpdater> implements GradientUpdater<T> {

    private final T config;
    private final List<String> keys;
    private final INDArray[] state;

    /**
     * @param config the updater configuration this applies
     * @param keys   the names of the state arrays, in the order {@link #state(int)} numbers them
     */
    protected StatefulUpdater(T config, String... keys) {
        this.config = config;
        this.keys = List.of(keys);
        this.state = new INDArray[keys.length];
    }

    /** {@code updater} with its state on {@code viewArray}; the usual body of {@link IUpdater#instantiate}. */
    public static <U extends StatefulUpdater<?>> U onView(U updater, INDArray viewArray, boolean initialize) {
        INDArray flat = viewArray.reshape(viewArray.length());
        updater.setStateViewArray(flat, new long[] {flat.length() / ((StatefulUpdater<?>) updater).keys.size()}, 'c', initialize);
        return updater;
    }

    /** {@code updater} with the state arrays of {@code stateMap}. */
    public static <U extends StatefulUpdater<?>> U onState(U updater, Map<String, INDArray> stateMap, boolean initialize) {
        updater.setState(stateMap, initialize);
        return updater;
    }

    @Override
    public T getConfig() {
        return config;
    }

    /** State array {@code i}, shaped like the gradient. */
    protected INDArray state(int i) {
        if (state[i] == null) {
            throw new IllegalStateException("updater state not initialised");
        }
        return state[i];
    }

    /**
     * {@code gradient} viewed with the state's shape. The step is written into the result, so it must be a view
     * of {@code gradient}, never a copy.
     */
    protected INDArray gradientView(INDArray gradient) {
        long[] shape = state(0).shape();
        if (Arrays.equals(gradient.shape(), shape)) {
            return gradient;
        }
        INDArray view = gradient.reshape(shape);
        if (view.data() != gradient.data()) {
            throw new IllegalStateException("gradient of shape " + Arrays.toString(gradient.shape())
                    + " cannot be viewed as " + Arrays.toString(shape));
        }
        return view;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.keySet().equals(Set.copyOf(keys))) {
            throw new IllegalStateException("state must hold exactly " + keys + ", got " + stateMap.keySet());
        }
        for (int i = 0; i < keys.size(); i++) {
            state[i] = stateMap.get(keys.get(i));
            if (initialize) {
                state[i].assign(0);
            }
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), state[i]);
        }
        return map;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        INDArray flat = viewArray.reshape(viewArray.length());
        long part = flat.length() / keys.size();
        for (int i = 0; i < keys.size(); i++) {
            INDArray slice = keys.size() == 1 ? flat : flat.get(NDArrayIndex.interval(i * part, (i + 1) * part));
            state[i] = Shape.newShapeNoCopy(slice, gradientShape, gradientOrder == 'f');
            if (state[i] == null) {
                throw new IllegalStateException("cannot view the updater state as " + Arrays.toString(gradientShape));
            }
        }
    }
}
