package org.khmerai.translation.resources;

import org.khmerai.translation.Language;

/** A direction of translation: a glossary or a memory belongs to one. */
public record LanguagePair(Language source, Language target) {
}
