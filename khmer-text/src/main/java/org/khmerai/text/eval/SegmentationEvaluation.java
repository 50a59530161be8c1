package org.khmerai.text.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.khmerai.text.segment.IcuWordSegmenter;
import org.khmerai.text.segment.KhmerWordSegmenter;
import org.khmerai.text.segment.SegmentationModel;
import org.khmerai.text.segment.Token;
import org.khmerai.text.segment.WordSegmenter;

/**
 * {@code ./khmer-ai segment-eval}: scores the segmenter on files in the shared format (one sentence a
 * line, gold words separated by one space) against ICU4J's Khmer BreakIterator in the same run.
 * Span-based precision, recall and F1; recall on words absent from the training data; single-thread
 * throughput after warm-up.
 *
 * <p>{@code SegmentationEvaluation [--fine] [--model FILE] [--train FILE]... FILE.seg.txt...}
 */
public final class SegmentationEvaluation {

    private static final double WARM_UP_SECONDS = 4.0;
    private static final double ROUND_SECONDS = 1.0;
    private static final int ROUNDS = 7;

    private SegmentationEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        String granularity = "coarse";
        Path model = null;
        List<Path> training = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fine" -> granularity = "fine";
                case "--model" -> model = Path.of(args[++i]);
                case "--train" -> training.add(Path.of(args[++i]));
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: segment-eval [--fine] [--model FILE] [--train TRAIN.seg.txt]... FILE.seg.txt...");
            System.exit(2);
        }
        long loading = System.nanoTime();
        WordSegmenter ours = model == null ? KhmerWordSegmenter.shipped(granularity) : load(model);
        System.out.printf("model %s loaded in %.0f ms; heap in use %d MB%n", ours.engine(),
                (System.nanoTime() - loading) / 1e6, usedHeapMegabytes());
        WordSegmenter icu = new IcuWordSegmenter();
        Set<String> vocabulary = new HashSet<>();
        for (Path file : training) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                vocabulary.addAll(List.of(line.strip().split(" ")));
            }
        }
        for (Path file : files) {
            List<Sentence> sentences = Sentence.read(file);
            Score our = Score.of(ours, sentences, vocabulary);
            Score reference = Score.of(icu, sentences, vocabulary);
            double[] speeds = charsPerSecond(ours, icu, sentences);
            double ourSpeed = speeds[0];
            double icuSpeed = speeds[1];
            System.out.printf("file=%s words=%d precision=%.4f recall=%.4f f1=%.4f oov_recall=%s chars_per_s=%.0f icu_f1=%.4f icu_chars_per_s=%.0f%n",
                    file.getFileName(), our.goldWords, our.precision(), our.recall(), our.f1(),
                    training.isEmpty() ? "n/a" : String.format("%.4f", our.oovRecall()), ourSpeed, reference.f1(), icuSpeed);
        }
    }

    private static WordSegmenter load(Path model) throws IOException {
        try (InputStream in = Files.newInputStream(model)) {
            return new KhmerWordSegmenter(SegmentationModel.read(in));
        }
    }

    private static long usedHeapMegabytes() {
        Runtime runtime = Runtime.getRuntime();
        runtime.gc();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    /**
     * Single-thread throughput of both segmenters, in chars per second: each is warmed up until the
     * JIT has settled, then they take turns over {@value #ROUNDS} timed rounds of the whole input, and the
     * median round of each counts, so that a noisy neighbour on the machine hurts both alike.
     */
    private static double[] charsPerSecond(WordSegmenter ours, WordSegmenter reference, List<Sentence> sentences) {
        long chars = sentences.stream().mapToLong(s -> s.text.length()).sum();
        WordSegmenter[] segmenters = {ours, reference};
        for (WordSegmenter segmenter : segmenters) {
            long until = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
            while (System.nanoTime() < until) {
                pass(segmenter, sentences);
            }
        }
        double[][] rounds = new double[2][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int which = 0; which < 2; which++) {
                long started = System.nanoTime();
                long passes = 0;
                while (System.nanoTime() - started < ROUND_SECONDS * 1e9) {
                    pass(segmenters[which], sentences);
                    passes++;
                }
                rounds[which][round] = chars * passes / ((System.nanoTime() - started) / 1e9);
            }
        }
        Arrays.sort(rounds[0]);
        Arrays.sort(rounds[1]);
        return new double[] {rounds[0][ROUNDS / 2], rounds[1][ROUNDS / 2]};
    }

    private static void pass(WordSegmenter segmenter, List<Sentence> sentences) {
        long tokens = 0;
        for (Sentence sentence : sentences) {
            tokens += segmenter.segment(sentence.text).size();
        }
        if (tokens < 0) {
            throw new IllegalStateException(); // keeps the work observable to the JIT
        }
    }

    /** One gold sentence: its text without spaces and its words' spans in that text. */
    private record Sentence(String text, List<String> words, Set<Long> spans) {

        static List<Sentence> read(Path file) throws IOException {
            List<Sentence> sentences = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> words = List.of(line.strip().split(" "));
                Set<Long> spans = new HashSet<>();
                int offset = 0;
                for (String word : words) {
                    spans.add(span(offset, offset + word.length()));
                    offset += word.length();
                }
                sentences.add(new Sentence(String.join("", words), words, spans));
            }
            return sentences;
        }

        static long span(int start, int end) {
            return ((long) start << 32) | end;
        }
    }

    private static final class Score {
        long goldWords;
        long predicted;
        long correct;
        long oovGold;
        long oovFound;

        static Score of(WordSegmenter segmenter, List<Sentence> sentences, Set<String> vocabulary) {
            Score score = new Score();
            for (Sentence sentence : sentences) {
                Set<Long> found = new HashSet<>();
                for (Token token : segmenter.segment(sentence.text)) {
                    found.add(Sentence.span(token.start(), token.end()));
                }
                score.goldWords += sentence.spans.size();
                score.predicted += found.size();
                int offset = 0;
                for (String word : sentence.words) {
                    long span = Sentence.span(offset, offset + word.length());
                    boolean hit = found.contains(span);
                    if (hit) {
                        score.correct++;
                    }
                    if (!vocabulary.contains(word)) {
                        score.oovGold++;
                        score.oovFound += hit ? 1 : 0;
                    }
                    offset += word.length();
                }
            }
            return score;
        }

        double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        double recall() {
            return goldWords == 0 ? 0 : (double) correct / goldWords;
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        double oovRecall() {
            return oovGold == 0 ? 1 : (double) oovFound / oovGold;
        }
    }
}
