package org.khmerai.text.segment;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.khmerai.text.cluster.TextUnits;
import org.khmerai.text.cluster.UnitKind;

/**
 * Trains a boundary model from segmented text (one sentence a line, words separated by one space):
 * an averaged perceptron over {@link BoundaryFeatures}. The lexicon features of each sentence come
 * from the other folds of the data (jackknifing), so the model learns how far to trust the lexicon
 * when a word is new. The words of reference texts (segmented with other conventions, such as the
 * Chea corpus) become a second word list, whose features teach the model how far those conventions
 * agree with the training data's. Deterministic: the same files give the same model.
 *
 * <p>{@code SegmenterTraining NAME OUTPUT.model [--reference REFERENCE.seg.txt]... TRAIN.seg.txt...}
 */
public final class SegmenterTraining {

    static final int BITS = 18;
    static final int EPOCHS = 8;
    static final int FOLDS = 5;

    private SegmenterTraining() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> training = new ArrayList<>();
        List<Path> references = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--reference") && i + 1 < args.length) {
                references.add(Path.of(args[++i]));
            } else {
                training.add(Path.of(args[i]));
            }
        }
        if (training.isEmpty()) {
            System.err.println("usage: SegmenterTraining NAME OUTPUT.model [--reference REFERENCE.seg.txt]... TRAIN.seg.txt...");
            System.exit(2);
        }
        long started = System.nanoTime();
        Path output = Path.of(args[1]);
        try (OutputStream out = Files.newOutputStream(output)) {
            train(args[0], sentences(training), sentences(references), System.out).write(out);
        }
        System.out.printf("wrote %s (%d bytes) in %.1f s%n", output, Files.size(output), (System.nanoTime() - started) / 1e9);
    }

    /** A trained model before it is stored: {@link #write} gives the bytes that ship, {@link #model} the model they load as. */
    public record Trained(String name, float[] weights, List<String> words, List<String> referenceWords) {

        public void write(OutputStream out) throws IOException {
            SegmentationModel.write(out, name, BITS, weights, words, referenceWords);
        }

        /** The model exactly as it would load from the stored bytes (weights quantized the same way). */
        public SegmentationModel model() {
            try {
                ByteArrayOutputStream stored = new ByteArrayOutputStream();
                write(stored);
                return SegmentationModel.read(new ByteArrayInputStream(stored.toByteArray()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Trains on segmented {@code sentences}; the words of {@code referenceSentences} become the
     * second word list. Progress goes to {@code log}.
     */
    public static Trained train(String name, List<String> sentences, List<String> referenceSentences, PrintStream log) {
        long started = System.nanoTime();
        TreeSet<String> referenceWords = new TreeSet<>();
        long[] clusters = new long[Lexicon.MAX_WORD_CLUSTERS + 1];
        for (String sentence : referenceSentences) {
            for (String word : sentence.split(" ")) {
                if (LexiconText.clusters(word, clusters) > 0) {
                    referenceWords.add(word);
                }
            }
        }
        log.printf("read %d sentences, %d reference words%n", sentences.size(), referenceWords.size());
        Map<String, Integer> foldsOfWord = new HashMap<>();
        for (int s = 0; s < sentences.size(); s++) {
            for (String word : sentences.get(s).split(" ")) {
                foldsOfWord.merge(word, 1 << (s % FOLDS), (a, b) -> a | b);
            }
        }
        Lexicon.Builder[] heldOut = new Lexicon.Builder[FOLDS];
        for (int k = 0; k < FOLDS; k++) {
            heldOut[k] = Lexicon.builder().addWords(Lexicon.REFERENCE_WORDS, String.join("\n", referenceWords));
        }
        TreeSet<String> words = new TreeSet<>();
        for (Map.Entry<String, Integer> word : foldsOfWord.entrySet()) {
            int n = LexiconText.clusters(word.getKey(), clusters);
            if (n == 0) {
                continue;
            }
            words.add(word.getKey());
            for (int k = 0; k < FOLDS; k++) {
                if ((word.getValue() & ~(1 << k)) != 0) {
                    heldOut[k].add(Lexicon.TRAINING_WORDS, clusters, 0, n);
                }
            }
        }
        Lexicon[] lexicons = new Lexicon[FOLDS];
        for (int k = 0; k < FOLDS; k++) {
            lexicons[k] = heldOut[k].build();
        }
        Examples examples = Examples.of(sentences, lexicons);
        log.printf("%d boundary decisions, lexicon of %d words, %.1f s%n", examples.count, words.size(),
                (System.nanoTime() - started) / 1e9);
        return new Trained(name, train(examples, log), List.copyOf(words), List.copyOf(referenceWords));
    }

    /** The sentences of segmented files, one a line, blank lines skipped. */
    public static List<String> sentences(List<Path> files) throws IOException {
        List<String> sentences = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    sentences.add(line.strip());
                }
            }
        }
        return sentences;
    }

    private static float[] train(Examples examples, PrintStream log) {
        float[] weights = new float[1 << BITS];
        double[] accumulated = new double[1 << BITS]; // steps reach tens of millions: float would lose them
        int[] order = new int[examples.count];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(20261123);
        long step = 1;
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            int mistakes = 0;
            for (int example : order) {
                int base = example * BoundaryFeatures.COUNT;
                float score = 0;
                for (int f = 0; f < BoundaryFeatures.COUNT; f++) {
                    score += weights[examples.features[base + f]];
                }
                boolean boundary = examples.boundary[example];
                if ((score > 0) != boundary) {
                    mistakes++;
                    float update = boundary ? 1 : -1;
                    for (int f = 0; f < BoundaryFeatures.COUNT; f++) {
                        int index = examples.features[base + f];
                        weights[index] += update;
                        accumulated[index] += step * update;
                    }
                }
                step++;
            }
            log.printf("epoch %d: %d mistakes (%.3f%%)%n", epoch, mistakes, 100.0 * mistakes / examples.count);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] -= (float) (accumulated[i] / step);
        }
        return weights;
    }

    /** Every boundary decision of the training data: its feature indexes and the gold answer. */
    private static final class Examples {
        int[] features = new int[1 << 20];
        boolean[] boundary = new boolean[1 << 16];
        int count;

        static Examples of(List<String> sentences, Lexicon[] heldOut) {
            Examples examples = new Examples();
            Lexicon.DictionaryEvidence evidence = new Lexicon.DictionaryEvidence();
            Lexicon.DictionaryEvidence referenceEvidence = new Lexicon.DictionaryEvidence();
            BoundaryFeatures features = new BoundaryFeatures();
            long[] feature = new long[BoundaryFeatures.COUNT];
            long[] clusters = new long[256];
            int mask = (1 << BITS) - 1;
            for (int s = 0; s < sentences.size(); s++) {
                String[] words = sentences.get(s).split(" ");
                String text = String.join("", words);
                boolean[] starts = new boolean[text.length() + 1];
                int offset = 0;
                for (String word : words) {
                    starts[offset] = true;
                    offset += word.length();
                }
                TextUnits units = TextUnits.of(text);
                int u = 0;
                while (u < units.count()) {
                    if (units.kind(u) != UnitKind.KHMER) {
                        u++;
                        continue;
                    }
                    int end = u + 1;
                    while (end < units.count() && units.kind(end) == UnitKind.KHMER) {
                        end++;
                    }
                    int n = end - u;
                    if (clusters.length < n) {
                        clusters = new long[n * 2];
                    }
                    for (int i = 0; i < n; i++) {
                        clusters[i] = ClusterHashes.of(text, units.start(u + i), units.end(u + i));
                    }
                    heldOut[s % FOLDS].match(clusters, n, evidence, referenceEvidence);
                    features.prepare(clusters, n);
                    for (int b = 1; b < n; b++) {
                        features.extract(b, evidence, referenceEvidence, feature);
                        examples.add(feature, mask, starts[units.start(u + b)]);
                    }
                    u = end;
                }
            }
            return examples;
        }

        void add(long[] feature, int mask, boolean isBoundary) {
            if ((count + 1) * BoundaryFeatures.COUNT > features.length) {
                features = Arrays.copyOf(features, features.length * 2);
            }
            if (count == boundary.length) {
                boundary = Arrays.copyOf(boundary, boundary.length * 2);
            }
            for (int f = 0; f < BoundaryFeatures.COUNT; f++) {
                features[count * BoundaryFeatures.COUNT + f] = (int) feature[f] & mask;
            }
            boundary[count++] = isBoundary;
        }
    }
}
