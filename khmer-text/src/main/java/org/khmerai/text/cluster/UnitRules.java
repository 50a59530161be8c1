package org.khmerai.text.cluster;

/**
 * Where each unit ends: the Khmer encoding structure (a base, then coeng + consonant pairs,
 * dependent vowels and signs) and plain rules for numbers, foreign words, URLs and e-mails.
 */
final class UnitRules {

    private UnitRules() {
    }

    static boolean isKhmerBase(char c) {
        return c >= '\u1780' && c <= '\u17B3';
    }

    static boolean isKhmerMark(char c) {
        return (c >= '\u17B4' && c <= '\u17D1') || c == '\u17D3' || c == '\u17DD' || c == '\u200C' || c == '\u200D';
    }

    static boolean isCoeng(char c) {
        return c == '\u17D2';
    }

    static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= '\u17E0' && c <= '\u17E9') || (c >= '\u17F0' && c <= '\u17F9');
    }

    /** Khmer punctuation and signs that stand alone: ។ ៕ ៖ ៗ ៛ and the Khmer symbols block. */
    static boolean isKhmerSymbol(char c) {
        return (c >= '\u17D4' && c <= '\u17DC') || (c >= '\u19E0' && c <= '\u19FF');
    }

    static boolean isBoundaryHint(char c) {
        return c == '\u200B' || c == '\uFEFF';
    }

    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || Character.getType(codePoint) == Character.CONTROL
                || Character.getType(codePoint) == Character.FORMAT || Character.getType(codePoint) == Character.SURROGATE;
    }

    static UnitKind kindAt(String text, int i) {
        char c = text.charAt(i);
        if (isKhmerBase(c) || isKhmerMark(c) || isCoeng(c)) {
            return UnitKind.KHMER;
        }
        if (isDigit(c)) {
            return UnitKind.NUMBER;
        }
        if (isBoundaryHint(c)) {
            return UnitKind.BOUNDARY_HINT;
        }
        int codePoint = text.codePointAt(i);
        if (isSpace(codePoint)) {
            return UnitKind.SPACE;
        }
        if (isKhmerSymbol(c)) {
            return UnitKind.SYMBOL;
        }
        return Character.isLetter(codePoint) || urlOrEmailEnd(text, i) > i ? UnitKind.FOREIGN : UnitKind.SYMBOL;
    }

    /** The end of the unit that starts at {@code i}. */
    static int end(String text, int i) {
        char c = text.charAt(i);
        int length = text.length();
        if (isKhmerBase(c)) {
            return khmerClusterEnd(text, i + 1);
        }
        if (isKhmerMark(c) || isCoeng(c)) {
            return khmerClusterEnd(text, i + 1); // a mark without its base still stays whole
        }
        if (isDigit(c)) {
            return numberEnd(text, i);
        }
        if (isBoundaryHint(c)) {
            return i + 1;
        }
        int codePoint = text.codePointAt(i);
        if (isSpace(codePoint)) {
            int j = i + Character.charCount(codePoint);
            while (j < length && !isBoundaryHint(text.charAt(j)) && isSpace(text.codePointAt(j))) {
                j += Character.charCount(text.codePointAt(j));
            }
            return j;
        }
        int url = urlOrEmailEnd(text, i);
        if (url > i) {
            return url;
        }
        if (Character.isLetter(codePoint) && !isKhmerSymbol(c)) {
            int script = Character.UnicodeScript.of(codePoint).ordinal();
            int j = i + Character.charCount(codePoint);
            while (j < length) {
                int next = text.codePointAt(j);
                boolean sameWord = (Character.isLetter(next) && Character.UnicodeScript.of(next).ordinal() == script)
                        || (Character.getType(next) == Character.NON_SPACING_MARK && !isKhmerMark(text.charAt(j)) && !isCoeng(text.charAt(j)))
                        || ((next == '\'' || next == '-' || next == '\u2019') && j + 1 < length && Character.isLetter(text.codePointAt(j + 1)));
                if (!sameWord) {
                    break;
                }
                j += Character.charCount(next);
            }
            return j;
        }
        // a symbol; a run of the same one ("...", "!!") is one unit
        int j = i + Character.charCount(codePoint);
        while (j < length && text.codePointAt(j) == codePoint) {
            j += Character.charCount(codePoint);
        }
        return j;
    }

    private static int khmerClusterEnd(String text, int j) {
        int length = text.length();
        while (j < length) {
            char c = text.charAt(j);
            if (isCoeng(c)) {
                j += (j + 1 < length && isKhmerBase(text.charAt(j + 1))) ? 2 : 1;
            } else if (isKhmerMark(c)) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static int numberEnd(String text, int i) {
        int length = text.length();
        int j = i + 1;
        while (j < length) {
            char c = text.charAt(j);
            if (isDigit(c)) {
                j++;
            } else if ((c == '.' || c == ',' || c == '/' || c == ':' || c == '-') && j + 1 < length && isDigit(text.charAt(j + 1))) {
                j += 2;
            } else {
                break;
            }
        }
        return j;
    }

    /** The end of a URL or e-mail address starting at {@code i}, or {@code i} when there is none. */
    static int urlOrEmailEnd(String text, int i) {
        if (!text.startsWith("http://", i) && !text.startsWith("https://", i) && !text.startsWith("www.", i)) {
            return emailEnd(text, i);
        }
        int j = i;
        while (j < text.length() && isUrlChar(text.charAt(j))) {
            j++;
        }
        while (j > i && ".,;:!?)'\"".indexOf(text.charAt(j - 1)) >= 0) {
            j--; // trailing punctuation belongs to the sentence
        }
        return j;
    }

    private static int emailEnd(String text, int i) {
        int j = i;
        while (j < text.length() && isEmailLocalChar(text.charAt(j))) {
            j++;
        }
        if (j == i || j >= text.length() || text.charAt(j) != '@' || (i > 0 && isEmailLocalChar(text.charAt(i - 1)))) {
            return i;
        }
        int domainStart = ++j;
        boolean dot = false;
        while (j < text.length() && (isAsciiLetterOrDigit(text.charAt(j)) || text.charAt(j) == '-'
                || (text.charAt(j) == '.' && j + 1 < text.length() && isAsciiLetterOrDigit(text.charAt(j + 1))))) {
            dot |= text.charAt(j) == '.';
            j++;
        }
        return dot && j > domainStart ? j : i;
    }

    private static boolean isUrlChar(char c) {
        return isAsciiLetterOrDigit(c) || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
    }

    private static boolean isEmailLocalChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '+' || c == '-';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
