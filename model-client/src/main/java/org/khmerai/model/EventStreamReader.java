package org.khmerai.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code data} fields of a server-sent event stream, read straight from its bytes: no character
 * decoding and no string per line, since the JSON parser reads UTF-8 itself. Its buffer starts at
 * 512 bytes (an event of a streamed answer is a few hundred) and grows for a longer line, up to
 * {@value #MAX_LINE} bytes. Lines end with LF, CR LF or CR, as the event stream format allows.
 */
final class EventStreamReader implements AutoCloseable {

    static final int MAX_LINE = 1 << 20;
    private static final byte[] DATA_FIELD = "data:".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private byte[] buffer = new byte[512];
    private int position; // where the next line starts
    private int lineStart;
    private int lineEnd;
    private int limit; // end of what has been read
    private boolean afterCarriageReturn; // a LF right after a CR ends no new line
    private boolean ended;

    EventStreamReader(InputStream in) {
        this.in = in;
    }

    /**
     * The value of one {@code data} field, its surrounding spaces trimmed; its bytes stay valid until
     * the next call to {@link EventStreamReader#next}.
     */
    record Data(byte[] bytes, int offset, int length) {

        /** Whether the value is exactly {@code text} (ASCII). */
        boolean is(String text) {
            if (text.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (bytes[offset + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        String text() {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
    }

    /** The next {@code data} field, or null where the stream ends; other lines (blank, comments, event names) are skipped. */
    Data next() throws IOException {
        while (readLine()) {
            if (startsWithDataField()) {
                int from = lineStart + DATA_FIELD.length;
                int to = lineEnd;
                while (from < to && isSpace(buffer[from])) {
                    from++;
                }
                while (to > from && isSpace(buffer[to - 1])) {
                    to--;
                }
                return new Data(buffer, from, to - from);
            }
        }
        return null;
    }

    /** Reads the next line into [lineStart, lineEnd) of the buffer, reading more of the stream as needed; false at its end. */
    private boolean readLine() throws IOException {
        int scan = position;
        while (true) {
            for (; scan < limit; scan++) {
                byte b = buffer[scan];
                if (afterCarriageReturn && scan == position && b == '\n') {
                    position++; // the LF of a CR LF
                } else if (b == '\n' || b == '\r') {
                    return line(scan, scan + 1, b == '\r');
                }
                afterCarriageReturn = false;
            }
            if (ended) {
                return position < limit && line(limit, limit, false); // a last line without its end
            }
            scan = fill(scan);
        }
    }

    private boolean line(int end, int next, boolean endedByCarriageReturn) {
        lineStart = position;
        lineEnd = end;
        position = next;
        afterCarriageReturn = endedByCarriageReturn;
        return true;
    }

    /** Reads more of the stream after {@code scan}, first moving the current line to the start of the buffer; the new scan position. */
    private int fill(int scan) throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            scan -= position;
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= MAX_LINE) {
                throw new IOException("a line of the event stream is longer than " + MAX_LINE + " bytes");
            }
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            ended = true;
        } else {
            limit += read;
        }
        return scan;
    }

    private boolean startsWithDataField() {
        return lineEnd - lineStart >= DATA_FIELD.length
                && Arrays.equals(buffer, lineStart, lineStart + DATA_FIELD.length, DATA_FIELD, 0, DATA_FIELD.length);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
