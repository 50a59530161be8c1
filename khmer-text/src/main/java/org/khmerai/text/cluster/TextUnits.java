package org.khmerai.text.cluster;

import java.util.Arrays;

/**
 * A text cut into the units a word boundary may fall between: Khmer character clusters (KCC),
 * numbers, foreign words, symbols and spaces. Offsets are UTF-16 indexes into the caller's text.
 * One pass, linear in the text, no per-unit allocation.
 */
public final class TextUnits {

    private static final UnitKind[] KINDS = UnitKind.values();

    private final String text;
    private int count;
    private int[] starts;
    private byte[] kinds;

    private TextUnits(String text) {
        this.text = text;
        int capacity = Math.max(4, text.length() / 2);
        this.starts = new int[capacity + 1];
        this.kinds = new byte[capacity];
    }

    public static TextUnits of(String text) {
        TextUnits units = new TextUnits(text);
        units.split();
        return units;
    }

    public String text() {
        return text;
    }

    public int count() {
        return count;
    }

    public int start(int unit) {
        return starts[unit];
    }

    public int end(int unit) {
        return starts[unit + 1];
    }

    public UnitKind kind(int unit) {
        return KINDS[kinds[unit]];
    }

    private void split() {
        int length = text.length();
        int i = 0;
        while (i < length) {
            int end = UnitRules.end(text, i);
            add(i, UnitRules.kindAt(text, i));
            i = end;
        }
        starts[count] = length;
    }

    private void add(int start, UnitKind kind) {
        if (count == kinds.length) {
            kinds = Arrays.copyOf(kinds, count * 2);
            starts = Arrays.copyOf(starts, count * 2 + 1);
        }
        starts[count] = start;
        kinds[count] = (byte) kind.ordinal();
        count++;
    }
}
