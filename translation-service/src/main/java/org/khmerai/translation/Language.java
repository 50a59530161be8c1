package org.khmerai.translation;

import java.lang.Character.UnicodeScript;
import java.util.List;

/**
 * A language the platform can translate, by its BCP 47 code, with its English name (which the
 * translation prompt uses) and the script that tells it apart when the source is to be detected.
 */
public record Language(String code, String name, UnicodeScript script) {

    /** Khmer and English, and the ASEAN languages a site may switch on in {@code khmer-ai.translation.languages}. */
    public static final List<Language> KNOWN = List.of(
            new Language("km", "Khmer", UnicodeScript.KHMER),
            new Language("en", "English", UnicodeScript.LATIN),
            new Language("th", "Thai", UnicodeScript.THAI),
            new Language("lo", "Lao", UnicodeScript.LAO),
            new Language("my", "Burmese", UnicodeScript.MYANMAR),
            new Language("vi", "Vietnamese", UnicodeScript.LATIN),
            new Language("ms", "Malay", UnicodeScript.LATIN),
            new Language("id", "Indonesian", UnicodeScript.LATIN),
            new Language("fil", "Filipino", UnicodeScript.LATIN));
}
