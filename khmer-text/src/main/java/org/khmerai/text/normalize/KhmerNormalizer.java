package org.khmerai.text.normalize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.khmerai.text.cluster.TextUnits;
import org.khmerai.text.cluster.UnitKind;

/**
 * Brings text into one canonical encoding so that the same word always has the same code points:
 * every Khmer syllable spelled canonically ({@link KhmerSyllable}), deprecated Khmer signs replaced,
 * everything else in Unicode NFC. Reports each repair with its place in the caller's text.
 */
public final class KhmerNormalizer {

    /** KHMER SIGN BEYYAL, deprecated: written out as ។ល។ ("et cetera"). */
    private static final String BEYYAL = "\u17D8";

    public Normalized normalize(String text) {
        List<Repair> repairs = new ArrayList<>();
        String repaired = repair(text, repairs);
        String result = repaired;
        // NFC may move a mark across units (a coeng after a Latin accent): repair again until stable
        for (int round = 0; round < 3 && !Normalizer.isNormalized(result, Normalizer.Form.NFC); round++) {
            result = repair(Normalizer.normalize(result, Normalizer.Form.NFC), new ArrayList<>());
        }
        if (!result.equals(repaired)) {
            int prefix = 0;
            while (prefix < text.length() && prefix < result.length() && text.charAt(prefix) == result.charAt(prefix)) {
                prefix++;
            }
            int suffix = 0;
            while (suffix < text.length() - prefix && suffix < result.length() - prefix
                    && text.charAt(text.length() - 1 - suffix) == result.charAt(result.length() - 1 - suffix)) {
                suffix++;
            }
            repairs.clear(); // one repair for the whole changed span says it truthfully
            repairs.add(new Repair(RepairKind.UNICODE_COMPOSITION, prefix, text.length() - suffix, text.codePointCount(0, prefix),
                    text.codePointCount(0, text.length() - suffix), text.substring(prefix, text.length() - suffix),
                    result.substring(prefix, result.length() - suffix)));
        }
        return new Normalized(result, !result.equals(text), List.copyOf(repairs));
    }

    /** One pass over the units of {@code text}: each Khmer syllable and each other unit repaired on its own. */
    private static String repair(String text, List<Repair> repairs) {
        TextUnits units = TextUnits.of(text);
        StringBuilder out = new StringBuilder(text.length());
        char[] syllable = new char[16];
        int codePoints = 0;
        for (int u = 0; u < units.count(); u++) {
            int start = units.start(u);
            int end = units.end(u);
            String replacement = null;
            RepairKind kind = null;
            if (units.kind(u) == UnitKind.KHMER) {
                if (!KhmerSyllable.isCanonical(text, start, end)) {
                    if (syllable.length < end - start + 1) {
                        syllable = new char[2 * (end - start + 1)];
                    }
                    replacement = new String(syllable, 0, KhmerSyllable.canonicalize(text, start, end, syllable));
                    kind = RepairKind.KHMER_SPELLING;
                }
            } else if (mayNeedRepair(text, start, end)) {
                String original = text.substring(start, end);
                if (original.contains(BEYYAL)) {
                    replacement = original.replace(BEYYAL, "\u17D4\u179B\u17D4");
                    kind = RepairKind.DEPRECATED_CHARACTER;
                } else if (!Normalizer.isNormalized(original, Normalizer.Form.NFC)) {
                    replacement = Normalizer.normalize(original, Normalizer.Form.NFC);
                    kind = RepairKind.UNICODE_COMPOSITION;
                }
            }
            int unitCodePoints = text.codePointCount(start, end);
            if (replacement != null && !replacement.contentEquals(text.subSequence(start, end))) {
                repairs.add(new Repair(kind, start, end, codePoints, codePoints + unitCodePoints, text.substring(start, end),
                        replacement));
                out.append(replacement);
            } else {
                out.append(text, start, end);
            }
            codePoints += unitCodePoints;
        }
        return out.toString();
    }

    /** Only a deprecated Khmer sign or a character that NFC may compose can change outside Khmer syllables. */
    private static boolean mayNeedRepair(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '\u0300' && (c < '\u1780' || c > '\u17FF' || c == BEYYAL.charAt(0))) {
                return true;
            }
        }
        return false;
    }

    public enum RepairKind {
        /** A Khmer syllable reordered, a duplicated or invisible mark dropped, a split vowel composed. */
        KHMER_SPELLING,
        /** A deprecated Khmer character written the current way. */
        DEPRECATED_CHARACTER,
        /** Characters composed to Unicode NFC. */
        UNICODE_COMPOSITION
    }

    /** One change: text[start, end) of the caller's text (UTF-16 and code points) became {@code replacement}. */
    public record Repair(RepairKind kind, int start, int end, int startCodePoint, int endCodePoint, String original,
            String replacement) {
    }

    public record Normalized(String text, boolean changed, List<Repair> repairs) {
    }
}
