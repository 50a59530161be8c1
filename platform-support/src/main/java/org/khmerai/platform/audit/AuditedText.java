package org.khmerai.platform.audit;

import org.khmerai.audit.v1.Content;

/**
 * The text of a call's marked fields as its audit event carries it to the audit service: the first
 * {@value #MAX_CODE_POINTS} code points, so that an event stays far below the topic's record limit.
 */
final class AuditedText {

    static final int MAX_CODE_POINTS = 32_768;

    private final String separator;
    private final StringBuilder text = new StringBuilder();
    private int codePoints;
    private boolean truncated;

    /** @param separator what goes between two values: a line break between fields, nothing between a stream's pieces */
    AuditedText(String separator) {
        this.separator = separator;
    }

    synchronized void add(Iterable<String> values) {
        for (String value : values) {
            if (!text.isEmpty()) {
                append(separator);
            }
            append(value);
        }
    }

    private void append(String value) {
        int room = MAX_CODE_POINTS - codePoints;
        int length = value.codePointCount(0, value.length());
        if (length <= room) {
            text.append(value);
            codePoints += length;
        } else {
            text.append(value, 0, value.offsetByCodePoints(0, room));
            codePoints = MAX_CODE_POINTS;
            truncated = true;
        }
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized Content.Builder addTo(Content.Builder content) {
        return content.setText(text.toString()).setTextTruncated(truncated);
    }
}
