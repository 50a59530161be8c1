package org.khmerai.text.segment;

public enum TokenKind {
    /** Letters of any script: a Khmer word, a Latin word. */
    WORD,
    /** Khmer (០-៩) or ASCII digits with their separators. */
    NUMBER,
    /** Punctuation and symbols: ។ ៕ ៖ , emoji. */
    PUNCTUATION
}
