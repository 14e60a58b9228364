package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.SpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code data.classes} selection: keeps the images of the listed classes and relabels them {@code 0..k-1} in the
 * order listed ({@code [5, 6, 7, 8, 9]} makes class 5 label 0). Stateless.
 */
public final class ClassSubset {

    private ClassSubset() {
    }

    /**
     * The images of {@code set} whose class is in {@code classes}, in their original order, relabelled; {@code set}
     * itself when {@code classes} is empty.
     *
     * @throws SpecException at {@code data.classes[i]} for a class the set does not have
     */
    public static ImageSet of(ImageSet set, List<Integer> classes) {
        if (classes.isEmpty()) {
            return set;
        }
        int[] newLabel = new int[set.classes()];
        Arrays.fill(newLabel, -1);
        for (int i = 0; i < classes.size(); i++) {
            int c = classes.get(i);
            if (c >= set.classes()) {
                throw new SpecException("data.classes[" + i + "]", "class " + c + " is not in the data set (its classes"
                        + " are 0.." + (set.classes() - 1) + ")");
            }
            newLabel[c] = i;
        }
        int[] keep = java.util.stream.IntStream.range(0, set.size()).filter(i -> newLabel[set.labels()[i]] >= 0).toArray();
        ImageSet kept = set.select(keep);
        int[] labels = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            labels[i] = newLabel[kept.labels()[i]];
        }
        return kept.relabelled(labels, classes.size());
    }

    /** The names of the kept classes, in the order listed; {@code names} itself when {@code classes} is empty. */
    public static List<String> names(List<String> names, List<Integer> classes) {
        if (classes.isEmpty()) {
            return names;
        }
        List<String> out = new ArrayList<>();
        for (int c : classes) {
            out.add(c < names.size() ? names.get(c) : String.valueOf(c));
        }
        return out;
    }
}
