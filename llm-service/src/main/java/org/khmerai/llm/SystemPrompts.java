package org.khmerai.llm;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DecimalStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.khmerai.model.PromptTemplate;

/**
 * What a conversation starts with: the ministry's system prompt or the default, a template whose
 * {@code {date}} is the day the call is made where the ministries are ({@code khmer-ai.llm.time-zone}),
 * written in Khmer: ថ្ងៃសុក្រ ទី៤ ខែធ្នូ ឆ្នាំ២០២៦. A model knows no date of its own.
 */
final class SystemPrompts {

    /** The places a system prompt may have. */
    static final Set<String> PLACES = Set.of("date");

    private static final DateTimeFormatter KHMER_DATE = DateTimeFormatter
            .ofPattern("'ថ្ងៃ'EEEE 'ទី'd 'ខែ'MMMM 'ឆ្នាំ'y", Locale.forLanguageTag("km"))
            .withDecimalStyle(DecimalStyle.of(Locale.forLanguageTag("km-u-nu-khmr")));

    private SystemPrompts() {
    }

    static String of(String template, Instant now, ZoneId zone) {
        return PromptTemplate.fill(template, Map.of("date", KHMER_DATE.format(now.atZone(zone))));
    }
}
