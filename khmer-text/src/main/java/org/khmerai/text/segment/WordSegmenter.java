package org.khmerai.text.segment;

import java.util.List;

/** Decides where the words of a text begin and end. Implementations are immutable and thread-safe. */
public interface WordSegmenter {

    /** The tokens of {@code text} in order; white space and invisible characters are never tokens. */
    List<Token> segment(String text);

    /** A short name of the engine and its version, reported to callers and in audit records. */
    String engine();
}
