package org.khmerai.text.cluster;

/** What a unit of text is, as far as word boundaries are concerned. */
public enum UnitKind {
    /** One Khmer character cluster: a base with its subscripts, vowels and signs. Never split. */
    KHMER,
    /** A run of letters of another script (Latin, Thai...), a URL or an e-mail address. */
    FOREIGN,
    /** Khmer or ASCII digits, with the separators between them (1,000.5 or 12/05/2024). */
    NUMBER,
    /** A punctuation mark or symbol (a run of the same one: "..."). */
    SYMBOL,
    /** Spaces, controls and invisible characters: a boundary, never part of a word. */
    SPACE,
    /** A zero-width space: the writer's word-boundary hint; a boundary, never part of a word. */
    BOUNDARY_HINT
}
