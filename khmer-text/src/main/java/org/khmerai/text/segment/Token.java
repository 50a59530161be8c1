package org.khmerai.text.segment;

/**
 * One word, number or punctuation mark of a text, with its place in the caller's text.
 *
 * @param start          UTF-16 offset of the first char, as Java and JavaScript index strings
 * @param end            UTF-16 offset after the last char
 * @param startCodePoint the same start counted in Unicode code points
 * @param endCodePoint   the same end counted in Unicode code points
 */
public record Token(String text, int start, int end, int startCodePoint, int endCodePoint, TokenKind kind) {
}
