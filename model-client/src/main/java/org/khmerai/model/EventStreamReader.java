package org.khmerai.model;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The {@code data} fields of a server-sent event stream, read from its bytes as they arrive: no
 * character decoding and no string per line, since the JSON parser reads UTF-8 itself. Its buffer
 * starts at 512 bytes (an event of a streamed answer is a few hundred) and grows for a longer line,
 * up to {@value #MAX_LINE} bytes. Lines end with LF, CR LF or CR, as the event stream format allows.
 * One stream's reader; not for several threads at once.
 */
final class EventStreamReader {

    static final int MAX_LINE = 1 << 20;
    private static final byte[] DATA_FIELD = "data:".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[512];
    private int position; // where the next line starts
    private int scan; // how far the next line's end has been looked for
    private int limit; // end of what has been read
    private boolean afterCarriageReturn; // a LF right after a CR ends no new line

    /**
     * The value of one {@code data} field, its surrounding spaces trimmed; its bytes are valid only
     * while it is being handed over.
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

    /**
     * Reads the next bytes of the stream, all of them, handing each {@code data} field they complete
     * to {@code fields}; other lines (blank, comments, event names) are skipped.
     *
     * @throws IOException when a line runs past {@value #MAX_LINE} bytes
     */
    void read(ByteBuf bytes, Consumer<Data> fields) throws IOException {
        while (bytes.isReadable()) {
            makeRoom();
            int count = Math.min(bytes.readableBytes(), buffer.length - limit);
            bytes.readBytes(buffer, limit, count);
            limit += count;
            lines(fields);
        }
    }

    /** The stream has ended: a last line without its end is a line still. */
    void end(Consumer<Data> fields) {
        if (position < limit) {
            field(position, limit, fields);
            position = limit;
        }
    }

    private void lines(Consumer<Data> fields) {
        for (; scan < limit; scan++) {
            byte b = buffer[scan];
            if (afterCarriageReturn && scan == position && b == '\n') {
                position++; // the LF of a CR LF
                afterCarriageReturn = false;
            } else if (b == '\n' || b == '\r') {
                field(position, scan, fields);
                position = scan + 1;
                afterCarriageReturn = b == '\r';
            } else {
                afterCarriageReturn = false;
            }
        }
    }

    /** Moves the line not yet ended to the start of the buffer, and grows the buffer if that line fills it. */
    private void makeRoom() throws IOException {
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
    }

    private void field(int lineStart, int lineEnd, Consumer<Data> fields) {
        if (lineEnd - lineStart < DATA_FIELD.length
                || !Arrays.equals(buffer, lineStart, lineStart + DATA_FIELD.length, DATA_FIELD, 0, DATA_FIELD.length)) {
            return;
        }
        int from = lineStart + DATA_FIELD.length;
        int to = lineEnd;
        while (from < to && isSpace(buffer[from])) {
            from++;
        }
        while (to > from && isSpace(buffer[to - 1])) {
            to--;
        }
        fields.accept(new Data(buffer, from, to - from));
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }
}
