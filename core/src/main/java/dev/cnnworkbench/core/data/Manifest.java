package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV manifest {@code path,label[,split]} (an optional header row starting {@code path}; paths relative to
 * the manifest's folder; split {@code train}, {@code val} or {@code test}, empty or absent = split by
 * {@code data.test_fraction}). Labels are class names (the classes are the training rows' names, sorted), or, when
 * every label is a whole number, class numbers, bounded by {@code data.class_names} when it is given. A missing
 * file, a label out of range, a bad split or a test class that training lacks is a {@link DataException} naming the
 * manifest and line. Stateless.
 */
final class Manifest {

    private Manifest() {
    }

    private record Row(long line, Path file, String label, Split split) {
    }

    static ImageFiles source(DataSpec spec) {
        Path manifest = Path.of(spec.path());
        if (!Files.isRegularFile(manifest)) {
            throw new DataException("manifest " + manifest + " not found");
        }
        Path dir = manifest.toAbsolutePath().getParent();
        List<Row> rows = rows(manifest, dir);
        if (rows.isEmpty()) {
            throw new DataException("manifest " + manifest + " lists no images");
        }
        boolean numeric = rows.stream().allMatch(r -> r.label().matches("-?\\d{1,9}"));
        List<String> names;
        if (numeric) {
            int max = rows.stream().mapToInt(r -> Integer.parseInt(r.label())).max().orElse(0);
            int bound = spec.classNames().isEmpty() ? 65_536 : spec.classNames().size();
            for (Row r : rows) {
                int label = Integer.parseInt(r.label());
                if (label < 0 || label >= bound) {
                    throw new DataException(at(manifest, r) + "label " + label + " is out of range 0.." + (bound - 1)
                            + (spec.classNames().isEmpty() ? "" : " (data.class_names lists " + bound + " classes)"));
                }
            }
            names = new ArrayList<>();
            for (int c = 0; c < (spec.classNames().isEmpty() ? max + 1 : bound); c++) {
                names.add(spec.classNames().isEmpty() ? String.valueOf(c) : spec.classNames().get(c));
            }
        } else {
            TreeSet<String> train = new TreeSet<>();
            rows.stream().filter(r -> r.split() == Split.TRAIN || r.split() == Split.ANY).forEach(r -> train.add(r.label()));
            names = List.copyOf(train);
        }
        List<ImageFiles.Entry> entries = new ArrayList<>();
        for (Row r : rows) {
            int label = numeric ? Integer.parseInt(r.label()) : names.indexOf(r.label());
            if (label < 0) {
                throw new DataException(at(manifest, r) + "class '" + r.label() + "' of a " + r.split().label()
                        + " image is not a training class (training has " + String.join(", ", names) + ")");
            }
            entries.add(new ImageFiles.Entry(r.file(), label, r.split()));
        }
        return new ImageFiles(dir, entries, names, spec, List.of(manifest.toAbsolutePath()));
    }

    private static List<Row> rows(Path manifest, Path dir) {
        List<Row> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get().parse(in)) {
                if (rec.getRecordNumber() == 1 && rec.get(0).equalsIgnoreCase("path")) {
                    continue;
                }
                String where = manifest + " line " + rec.getRecordNumber() + ": ";
                if (rec.size() < 2 || rec.size() > 3 || rec.get(0).isEmpty() || rec.get(1).isEmpty()) {
                    throw new DataException(where + "expected path,label[,split], got " + rec.size() + " field(s)");
                }
                Split split;
                try {
                    split = rec.size() < 3 || rec.get(2).isEmpty() ? Split.ANY : Split.named(rec.get(2));
                } catch (IllegalArgumentException e) {
                    throw new DataException(where + e.getMessage());
                }
                Path file = dir.resolve(rec.get(0)).normalize();
                if (!Files.isRegularFile(file)) {
                    throw new DataException(where + "image " + file + " not found");
                }
                out.add(new Row(rec.getRecordNumber(), file, rec.get(1), split));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException("cannot read manifest " + manifest + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String at(Path manifest, Row r) {
        return manifest + " line " + r.line() + ": ";
    }
}
