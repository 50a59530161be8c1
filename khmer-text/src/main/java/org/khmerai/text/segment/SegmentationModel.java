package org.khmerai.text.segment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A trained boundary model: one weight per hashed feature (quantized to 16 bits when stored), the
 * lexicon of training words and a reference word list from other text. Loaded once, immutable,
 * shared by all threads.
 */
public final class SegmentationModel {

    private static final int MAGIC = 0x4B4D5347; // "KMSG"
    private static final int VERSION = 2;

    private final String name;
    private final int bits;
    private final short[] weights;
    private final float scale;
    private final Lexicon lexicon;

    private SegmentationModel(String name, int bits, short[] weights, float scale, Lexicon lexicon) {
        this.name = name;
        this.bits = bits;
        this.weights = weights;
        this.scale = scale;
        this.lexicon = lexicon;
    }

    public String name() {
        return name;
    }

    Lexicon lexicon() {
        return lexicon;
    }

    int index(long feature) {
        return (int) feature & ((1 << bits) - 1);
    }

    /** The boundary's score: positive means a word boundary. Weights stay 16-bit, half the cache lines of floats. */
    float score(long[] features) {
        int sum = 0;
        for (long feature : features) {
            sum += weights[index(feature)];
        }
        return sum * scale;
    }

    /** Loads a model written by {@link #write}; the lexicon's words come as text and are hashed here. */
    public static SegmentationModel read(InputStream stored) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(stored, 1 << 16));
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a Khmer segmentation model of version " + VERSION);
        }
        String name = in.readUTF();
        int bits = in.readInt();
        float scale = in.readFloat();
        short[] weights = new short[1 << bits];
        byte[] quantized = new byte[2 << bits];
        in.readFully(quantized);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (short) ((quantized[2 * i] << 8) | (quantized[2 * i + 1] & 0xFF));
        }
        String words = readWords(in);
        String referenceWords = readWords(in);
        Lexicon lexicon = Lexicon.builder()
                .addWords(Lexicon.TRAINING_WORDS, words)
                .addWords(Lexicon.REFERENCE_WORDS, referenceWords)
                .build();
        return new SegmentationModel(name, bits, weights, scale, lexicon);
    }

    private static String readWords(DataInputStream in) throws IOException {
        in.readInt(); // the word count, for readers that want it
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Writes the model with its weights quantized to 16 bits and its word lists as one word per line. */
    static void write(OutputStream target, String name, int bits, float[] weights, List<String> words,
            List<String> referenceWords) throws IOException {
        float max = 0;
        for (float weight : weights) {
            max = Math.max(max, Math.abs(weight));
        }
        float scale = max == 0 ? 1 : max / Short.MAX_VALUE;
        GZIPOutputStream zip = new GZIPOutputStream(target, 1 << 16);
        DataOutputStream out = new DataOutputStream(zip);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(name);
        out.writeInt(bits);
        out.writeFloat(scale);
        byte[] quantized = new byte[2 << bits];
        for (int i = 0; i < weights.length; i++) {
            short value = (short) Math.round(weights[i] / scale);
            quantized[2 * i] = (byte) (value >> 8);
            quantized[2 * i + 1] = (byte) value;
        }
        out.write(quantized);
        writeLexicon(out, words);
        writeLexicon(out, referenceWords);
        out.flush();
        zip.finish();
    }

    private static void writeLexicon(DataOutputStream out, List<String> words) throws IOException {
        byte[] text = String.join("\n", words).getBytes(StandardCharsets.UTF_8);
        out.writeInt(words.size());
        out.writeInt(text.length);
        out.write(text);
    }
}
