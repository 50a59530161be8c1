package org.khmerai.policy;

import org.khmerai.text.term.CanonicalText;

/**
 * Where a rule or detector matched a {@link CanonicalText}, in UTF-16 offsets.
 *
 * @param label what replaces the span when it is redacted: a rule id, or the kind of personal data
 */
public record Span(int start, int end, String label) {
}
