package org.khmerai.text.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
import org.khmerai.text.segment.SegmenterTraining;
import org.khmerai.text.segment.Token;
import org.khmerai.text.segment.WordSegmenter;

/**
 * {@code ./khmer-ai segment-eval}: scores the segmenter on files in the shared format (one sentence a
 * line, gold words separated by one space) against ICU4J's Khmer BreakIterator in the same run.
 * Span-based precision, recall and F1; recall on words absent from the training data; single-thread
 * throughput after warm-up.
 *
 * <p>{@code SegmentationEvaluation [--fine] [--model FILE] [--train FILE]... FILE.seg.txt...}
 *
 * <p>{@code SegmentationEvaluation --cross-validate [--reference FILE]... TRAIN.seg.txt...}: held-out
 * accuracy on text of the training data's own conventions (see {@link #crossValidate}).
 */
public final class SegmentationEvaluation {

    private static final double WARM_UP_SECONDS = 4.0;
    private static final double ROUND_SECONDS = 1.0;
    private static final int ROUNDS = 7;
    private static final int FOLDS = 5;

    private SegmentationEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        String granularity = "coarse";
        Path model = null;
        List<Path> training = new ArrayList<>();
        List<Path> references = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        boolean crossValidate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fine" -> granularity = "fine";
                case "--model" -> model = Path.of(args[++i]);
                case "--train" -> training.add(Path.of(args[++i]));
                case "--reference" -> references.add(Path.of(args[++i]));
                case "--cross-validate" -> crossValidate = true;
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: segment-eval [--fine] [--model FILE] [--train TRAIN.seg.txt]... FILE.seg.txt...");
            System.err.println("       segment-eval --cross-validate [--reference REFERENCE.seg.txt]... TRAIN.seg.txt...");
            System.exit(2);
        }
        if (crossValidate) {
            crossValidate(files, references);
            return;
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

    /**
     * The training sentences in {@value #FOLDS} folds; for each, a model trained as the shipped one is
     * (same method, same reference word list) on the other folds scores the fold it never saw.
     * Sentences whose text also occurs in a reference file are not scored, since the reference word
     * list has seen their words. Out-of-vocabulary: absent from the other folds and the references.
     */
    private static void crossValidate(List<Path> trainingFiles, List<Path> referenceFiles) throws IOException {
        List<String> sentences = SegmenterTraining.sentences(trainingFiles);
        List<String> references = SegmenterTraining.sentences(referenceFiles);
        Set<String> referenceTexts = new HashSet<>();
        Set<String> referenceWords = new HashSet<>();
        for (String reference : references) {
            referenceTexts.add(reference.replace(" ", ""));
            referenceWords.addAll(List.of(reference.split(" ")));
        }
        Score total = new Score();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<String> trainingPart = new ArrayList<>();
            List<Sentence> heldOut = new ArrayList<>();
            Set<String> vocabulary = new HashSet<>(referenceWords);
            for (int s = 0; s < sentences.size(); s++) {
                String sentence = sentences.get(s);
                if (s % FOLDS != fold) {
                    trainingPart.add(sentence);
                    vocabulary.addAll(List.of(sentence.split(" ")));
                } else if (!referenceTexts.contains(sentence.replace(" ", ""))) {
                    heldOut.add(Sentence.of(sentence));
                }
            }
            SegmentationModel model = SegmenterTraining.train("fold-" + fold, trainingPart, references,
                    new PrintStream(OutputStream.nullOutputStream())).model();
            Score score = Score.of(new KhmerWordSegmenter(model), heldOut, vocabulary);
            total.add(score);
            System.out.printf("fold=%d sentences=%d words=%d precision=%.4f recall=%.4f f1=%.4f oov_words=%d oov_recall=%.4f%n",
                    fold, heldOut.size(), score.goldWords, score.precision(), score.recall(), score.f1(), score.oovGold,
                    score.oovRecall());
        }
        System.out.printf("cross_validation folds=%d words=%d precision=%.4f recall=%.4f f1=%.4f oov_words=%d oov_recall=%.4f%n",
                FOLDS, total.goldWords, total.precision(), total.recall(), total.f1(), total.oovGold, total.oovRecall());
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
                sentences.add(of(line));
            }
            return sentences;
        }

        static Sentence of(String line) {
            List<String> words = List.of(line.strip().split(" "));
            Set<Long> spans = new HashSet<>();
            int offset = 0;
            for (String word : words) {
                spans.add(span(offset, offset + word.length()));
                offset += word.length();
            }
            return new Sentence(String.join("", words), words, spans);
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

        void add(Score other) {
            goldWords += other.goldWords;
            predicted += other.predicted;
            correct += other.correct;
            oovGold += other.oovGold;
            oovFound += other.oovFound;
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
