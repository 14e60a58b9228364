package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the layout of an image folder, as torchvision's ImageFolder and DL4J's ParentPathLabelGenerator do: one
 * subfolder per class, named by the class, holding its images (files with an {@link ImageDecoder#EXTENSIONS}
 * extension; other files and hidden entries are ignored). Either the class folders sit directly in the folder (the
 * images are then split by {@code data.test_fraction}), or under {@code train/} and {@code test/} (and optionally
 * {@code val/}). The classes are the training split's folders in name order; a class folder with no images, or a
 * test or validation class that training lacks, is a {@link DataException} naming the folder. Stateless.
 */
final class ImageFolder {

    private ImageFolder() {
    }

    static ImageFiles source(DataSpec spec) {
        Path root = Path.of(spec.path());
        if (!Files.isDirectory(root)) {
            throw new DataException("image folder " + root + " not found");
        }
        boolean splitLayout = Files.isDirectory(root.resolve("train"));
        if (splitLayout && !Files.isDirectory(root.resolve("test"))) {
            throw new DataException(root + " has train/ but no test/ folder; add test/ (one subfolder per class),"
                    + " or put the class folders directly in " + root + " to split them by data.test_fraction");
        }
        Path trainDir = splitLayout ? root.resolve("train") : root;
        List<String> classes = classFolders(trainDir);
        if (classes.size() < 2) {
            throw new DataException(trainDir + " has " + classes.size() + " class folder(s); an image folder needs"
                    + " one subfolder per class, at least 2");
        }
        List<ImageFiles.Entry> entries = new ArrayList<>();
        if (splitLayout) {
            add(entries, trainDir, classes, Split.TRAIN);
            add(entries, root.resolve("test"), classes, Split.TEST);
            if (Files.isDirectory(root.resolve("val"))) {
                add(entries, root.resolve("val"), classes, Split.VAL);
            }
        } else {
            add(entries, root, classes, Split.ANY);
        }
        return new ImageFiles(root, entries, classes, spec, List.of());
    }

    private static void add(List<ImageFiles.Entry> entries, Path dir, List<String> classes, Split split) {
        for (String name : classFolders(dir)) {
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new DataException("class folder " + dir.resolve(name) + " is not a training class (training"
                        + " has " + String.join(", ", classes) + "); rename or remove it");
            }
            List<Path> images = images(dir.resolve(name));
            if (images.isEmpty()) {
                throw new DataException("class folder " + dir.resolve(name) + " holds no images (" + String.join(", ",
                        ImageDecoder.EXTENSIONS) + "); add some or remove the folder");
            }
            images.forEach(f -> entries.add(new ImageFiles.Entry(f, label, split)));
        }
    }

    /** The subfolders of {@code dir}, by name, hidden ones left out. */
    static List<String> classFolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)
                    && ImageDecoder.isImage(p)).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
