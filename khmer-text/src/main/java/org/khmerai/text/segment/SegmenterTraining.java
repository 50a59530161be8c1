package org.khmerai.text.segment;

import java.io.IOException;
import java.io.OutputStream;
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
 * when a word is new. Deterministic: the same files give the same model.
 *
 * <p>{@code SegmenterTraining NAME OUTPUT.model TRAIN.seg.txt...}
 */
public final class SegmenterTraining {

    static final int BITS = 21;
    static final int EPOCHS = 8;
    static final int FOLDS = 5;

    private SegmenterTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SegmenterTraining NAME OUTPUT.model TRAIN.seg.txt...");
            System.exit(2);
        }
        long started = System.nanoTime();
        List<String> sentences = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    sentences.add(line.strip());
                }
            }
        }
        System.out.printf("read %d sentences%n", sentences.size());
        Map<String, Integer> foldsOfWord = new HashMap<>();
        for (int s = 0; s < sentences.size(); s++) {
            for (String word : sentences.get(s).split(" ")) {
                foldsOfWord.merge(word, 1 << (s % FOLDS), (a, b) -> a | b);
            }
        }
        Lexicon[] heldOut = new Lexicon[FOLDS];
        long[] clusters = new long[Lexicon.MAX_WORD_CLUSTERS + 1];
        for (int k = 0; k < FOLDS; k++) {
            heldOut[k] = new Lexicon(foldsOfWord.size());
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
                    heldOut[k].add(clusters, 0, n);
                }
            }
        }
        Examples examples = Examples.of(sentences, heldOut);
        System.out.printf("%d boundary decisions, lexicon of %d words, %.1f s%n", examples.count, words.size(),
                (System.nanoTime() - started) / 1e9);
        float[] weights = train(examples);
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            SegmentationModel.write(out, args[0], BITS, weights, List.copyOf(words));
        }
        System.out.printf("wrote %s (%d bytes) in %.1f s%n", args[1], Files.size(Path.of(args[1])),
                (System.nanoTime() - started) / 1e9);
    }

    private static float[] train(Examples examples) {
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
            System.out.printf("epoch %d: %d mistakes (%.3f%%)%n", epoch, mistakes, 100.0 * mistakes / examples.count);
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
            long[] feature = new long[BoundaryFeatures.COUNT];
            long[] clusters = new long[256];
            int shift = 64 - BITS;
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
                    heldOut[s % FOLDS].match(clusters, n, evidence);
                    for (int b = 1; b < n; b++) {
                        BoundaryFeatures.extract(clusters, n, b, evidence, feature);
                        examples.add(feature, shift, starts[units.start(u + b)]);
                    }
                    u = end;
                }
            }
            return examples;
        }

        void add(long[] feature, int shift, boolean isBoundary) {
            if ((count + 1) * BoundaryFeatures.COUNT > features.length) {
                features = Arrays.copyOf(features, features.length * 2);
            }
            if (count == boundary.length) {
                boundary = Arrays.copyOf(boundary, boundary.length * 2);
            }
            for (int f = 0; f < BoundaryFeatures.COUNT; f++) {
                features[count * BoundaryFeatures.COUNT + f] = (int) (feature[f] >>> shift);
            }
            boundary[count++] = isBoundary;
        }
    }
}
