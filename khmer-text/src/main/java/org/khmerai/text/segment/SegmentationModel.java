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
 * A trained boundary model: one weight per hashed feature (quantized to 16 bits when stored) and
 * the lexicon of training words. Loaded once, immutable, shared by all threads.
 */
public final class SegmentationModel {

    private static final int MAGIC = 0x4B4D5347; // "KMSG"
    private static final int VERSION = 1;

    private final String name;
    private final int bits;
    private final float[] weights;
    private final Lexicon lexicon;

    SegmentationModel(String name, int bits, float[] weights, Lexicon lexicon) {
        this.name = name;
        this.bits = bits;
        this.weights = weights;
        this.lexicon = lexicon;
    }

    public String name() {
        return name;
    }

    Lexicon lexicon() {
        return lexicon;
    }

    int index(long feature) {
        return (int) (feature >>> (64 - bits));
    }

    float score(long[] features) {
        float sum = 0;
        for (long feature : features) {
            sum += weights[index(feature)];
        }
        return sum;
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
        float[] weights = new float[1 << bits];
        byte[] quantized = new byte[2 << bits];
        in.readFully(quantized);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (short) ((quantized[2 * i] << 8) | (quantized[2 * i + 1] & 0xFF)) * scale;
        }
        int wordCount = in.readInt();
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        Lexicon lexicon = new Lexicon(wordCount);
        LexiconText.forEachWord(new String(text, StandardCharsets.UTF_8), lexicon::add);
        return new SegmentationModel(name, bits, weights, lexicon);
    }

    /** Writes the model with its weights quantized to 16 bits and its lexicon as one word per line. */
    static void write(OutputStream target, String name, int bits, float[] weights, List<String> words) throws IOException {
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
        byte[] text = String.join("\n", words).getBytes(StandardCharsets.UTF_8);
        out.writeInt(words.size());
        out.writeInt(text.length);
        out.write(text);
        out.flush();
        zip.finish();
    }
}
