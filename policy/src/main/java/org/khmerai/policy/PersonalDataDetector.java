package org.khmerai.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.text.term.CanonicalText;

/**
 * Finds personal data in a text. Khmer digits (០-៩) are read as the ASCII digits they stand for, so a
 * phone number written in either is found. Each pattern starts only where a number or address can
 * start, so that no text makes it backtrack more than linearly.
 */
public enum PersonalDataDetector {

    /** +855 12 345 678, 855-97-123-4567, (+855) (0)23 123 456, 012 345 678, (097) 12 34 567, ០១២ ៣៤៥ ៦៧៨. */
    PHONE_NUMBER("phone-number", PersonalData.PERSONAL_DATA_PHONE_NUMBER, Pattern.compile("""
            (?<![\\d+])(?:\\(?(?:\\+|00)?855\\)?[ .\\-\\u00A0]?(?:\\(0\\)[ .\\-\\u00A0]?)?\\(?[1-9]\\d\\)?|\\(?0[1-9]\\d\\)?)\
            [ .\\-\\u00A0]?(?:\\d[ .\\-\\u00A0]?){5,6}\\d(?!\\d)""")),
    /** Nine digits standing alone, with the card's check digit in brackets or without: 010123456, 010123456(7). */
    NATIONAL_ID("national-id", PersonalData.PERSONAL_DATA_NATIONAL_ID, Pattern.compile("(?<![\\d.,])\\d{9}(?:[ ]?\\(\\d\\))?(?![\\d]|[.,]\\d)")),
    EMAIL_ADDRESS("email-address", PersonalData.PERSONAL_DATA_EMAIL_ADDRESS, Pattern.compile(
            "(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9\\-])"));

    private final String label;
    private final PersonalData kind;
    private final Pattern pattern;

    PersonalDataDetector(String label, PersonalData kind, Pattern pattern) {
        this.label = label;
        this.kind = kind;
        this.pattern = pattern;
    }

    static PersonalDataDetector of(PersonalData kind) {
        for (PersonalDataDetector detector : values()) {
            if (detector.kind == kind) {
                return detector;
            }
        }
        throw new IllegalArgumentException("no detector for " + kind);
    }

    public String label() {
        return label;
    }

    public List<Span> find(CanonicalText text, String label) {
        List<Span> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(asciiDigits(text.text()));
        while (matcher.find()) {
            found.add(new Span(matcher.start(), matcher.end(), label));
        }
        return found;
    }

    /** The text with each Khmer digit replaced by its ASCII digit: the same length, the same offsets. */
    private static CharSequence asciiDigits(String text) {
        char[] chars = text.toCharArray();
        boolean khmer = false;
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= '\u17E0' && chars[i] <= '\u17E9') {
                chars[i] = (char) ('0' + chars[i] - '\u17E0');
                khmer = true;
            }
        }
        return khmer ? new String(chars) : text;
    }
}
