package org.khmerai.translation;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import io.grpc.StatusRuntimeException;
import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The languages this site translates between ({@code khmer-ai.translation.languages}), and telling them apart. */
@Component
public class Languages {

    private final List<Language> supported;

    public Languages(TranslationProperties properties) {
        this.supported = properties.languages().stream().map(code -> Language.KNOWN.stream()
                .filter(language -> language.code().equals(code.strip().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalStateException("khmer-ai.translation.languages names " + code
                        + ", which is none of " + Language.KNOWN.stream().map(Language::code).toList())))
                .toList();
    }

    /**
     * @param field the request field that named it, for the message
     * @throws StatusRuntimeException INVALID_ARGUMENT when this site does not translate it
     */
    public Language require(String code, String field) {
        String wanted = code.strip().toLowerCase(Locale.ROOT);
        return supported.stream().filter(language -> language.code().equals(wanted)).findFirst()
                .orElseThrow(() -> invalid(field + " must be one of " + codes() + (code.isBlank() ? "" : "; got \"" + code + "\"")));
    }

    /**
     * The language of a text by the script most of its letters are written in: Khmer script is
     * Khmer, Latin script the first Latin-script language this site translates (English).
     *
     * @throws StatusRuntimeException INVALID_ARGUMENT when no letter tells
     */
    public Language detect(String text) {
        Map<UnicodeScript, Integer> letters = new EnumMap<>(UnicodeScript.class);
        text.codePoints().filter(Character::isLetter)
                .forEach(codePoint -> letters.merge(UnicodeScript.of(codePoint), 1, Integer::sum));
        Optional<UnicodeScript> dominant = letters.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        return dominant.flatMap(script -> supported.stream().filter(language -> language.script() == script).findFirst())
                .orElseThrow(() -> invalid("the text's language could not be told from its letters"
                        + dominant.map(script -> " (mostly " + script.name().toLowerCase(Locale.ROOT) + " script)").orElse("")
                        + "; give source_language, one of " + codes()));
    }

    private List<String> codes() {
        return supported.stream().map(Language::code).toList();
    }
}
