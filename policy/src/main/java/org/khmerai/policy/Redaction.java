package org.khmerai.policy;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Replaces spans of a text by {@code [redacted:<label>]}; overlapping spans become one, naming each label. */
public final class Redaction {

    private Redaction() {
    }

    public static String apply(String text, List<Span> spans) {
        List<Span> ordered = spans.stream().sorted(Comparator.comparingInt(Span::start)).toList();
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int i = 0;
        while (i < ordered.size()) {
            int start = ordered.get(i).start();
            int end = ordered.get(i).end();
            Set<String> labels = new LinkedHashSet<>();
            while (i < ordered.size() && ordered.get(i).start() < end) {
                end = Math.max(end, ordered.get(i).end());
                labels.add(ordered.get(i).label());
                i++;
            }
            out.append(text, copied, start).append("[redacted:").append(String.join(",", labels)).append(']');
            copied = end;
        }
        return out.append(text, copied, text.length()).toString();
    }
}
