package org.khmerai.model;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt written with places for values: {@code {name}}, a name of letters, digits and underscores.
 * Other braces are the prompt's own text. Filled in one pass over the template, so that a value
 * holding braces is left as it is.
 */
public final class PromptTemplate {

    private static final Pattern PLACE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private PromptTemplate() {
    }

    /** The names {@code template} has places for, in their order. */
    public static Set<String> places(String template) {
        Set<String> places = new LinkedHashSet<>();
        Matcher place = PLACE.matcher(template);
        while (place.find()) {
            places.add(place.group(1));
        }
        return places;
    }

    /**
     * {@code template} with each place replaced by the value of its name.
     *
     * @throws IllegalArgumentException naming the places {@code values} has no value for
     */
    public static String fill(String template, Map<String, String> values) {
        StringBuilder filled = new StringBuilder(template.length());
        Set<String> missing = new LinkedHashSet<>();
        Matcher place = PLACE.matcher(template);
        while (place.find()) {
            String value = values.get(place.group(1));
            if (value == null) {
                missing.add(place.group(1));
            } else {
                place.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the template has a place for " + missing + ", which is not given; given are "
                    + values.keySet());
        }
        return place.appendTail(filled).toString();
    }
}
