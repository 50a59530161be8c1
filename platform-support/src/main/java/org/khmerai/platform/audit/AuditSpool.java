package org.khmerai.platform.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.khmerai.audit.v1.AuditEvent;

/**
 * Audit events that could not go to Kafka, kept on local disk until they can: an append-only
 * file of records (length, CRC32C, the event's bytes), each forced to disk before {@link #append}
 * returns, bounded in size. What has been forwarded is marked by an offset kept beside it; the
 * file is emptied once everything in it was forwarded. A record torn by a crash in the middle of an
 * append is dropped when the spool is opened again. One process holds a spool at a time.
 */
public final class AuditSpool implements AutoCloseable {

    private static final int HEADER = 8;

    private final Path file;
    private final Path startFile;
    private final long maxBytes;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long start;
    private int depth;

    private AuditSpool(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.startFile = file.resolveSibling(file.getFileName() + ".start");
        this.maxBytes = maxBytes;
        this.lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lock(lockChannel, file);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long marked = Files.exists(startFile) ? Long.parseLong(Files.readString(startFile).strip()) : 0;
        this.start = marked <= channel.size() ? marked : 0; // emptied, then stopped before the mark was written
        Batch kept = read();
        channel.truncate(kept.end()); // a torn record at the end goes
        channel.position(kept.end());
        depth = kept.events().size();
    }

    /** The spool in {@code file}, with what an earlier run of this process left in it. */
    public static AuditSpool open(Path file, long maxBytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new AuditSpool(file, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit spool " + file, e);
        }
    }

    private static FileLock lock(FileChannel channel, Path file) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException inThisProcess) {
            // held by another publisher of this JVM
        }
        channel.close();
        throw new IllegalStateException("the audit spool " + file + " is in use by another publisher;"
                + " give each process its own khmer-ai.audit.spool-dir");
    }

    /** Events waiting in the spool, oldest first, and the part of the file they occupy. */
    public record Batch(List<AuditEvent> events, long start, long end) {
    }

    /** Appends the event durably; false, and nothing written, when the spool is full. */
    public synchronized boolean append(AuditEvent event) {
        byte[] bytes = event.toByteArray();
        try {
            if (channel.size() + HEADER + bytes.length > maxBytes) {
                return false;
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            ByteBuffer record = ByteBuffer.allocate(HEADER + bytes.length)
                    .putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).flip();
            while (record.hasRemaining()) {
                channel.write(record);
            }
            channel.force(false);
            depth++;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit spool " + file, e);
        }
    }

    /** Everything that waits in the spool now. */
    public synchronized Batch read() throws IOException {
        List<AuditEvent> found = new ArrayList<>();
        long position = start;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            channel.read(header, position);
            int length = header.getInt(0);
            if (length < 0 || position + HEADER + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            channel.read(body, position + HEADER);
            CRC32C crc = new CRC32C();
            crc.update(body.array());
            if ((int) crc.getValue() != header.getInt(4)) {
                break;
            }
            try {
                found.add(AuditEvent.parseFrom(body.array()));
            } catch (InvalidProtocolBufferException e) {
                break;
            }
            position += HEADER + length;
        }
        return new Batch(found, start, position);
    }

    /** Marks a batch as forwarded; when nothing is left after it, the file is emptied. */
    public synchronized void forwarded(Batch batch) {
        if (batch.start() != start) {
            return; // already marked
        }
        try {
            depth -= batch.events().size();
            start = batch.end();
            if (start == channel.size()) {
                channel.truncate(0);
                channel.position(0);
                channel.force(true);
                start = 0;
            }
            Path written = startFile.resolveSibling(startFile.getFileName() + ".tmp");
            Files.writeString(written, Long.toString(start), StandardCharsets.US_ASCII);
            Files.move(written, startFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the audit spool " + file, e);
        }
    }

    /** Whether an event of a few kilobytes would no longer fit. */
    public synchronized boolean full() {
        try {
            return channel.size() + HEADER + 4096 > maxBytes;
        } catch (IOException e) {
            return true;
        }
    }

    /** How many events wait in the spool. */
    public synchronized int depth() {
        return depth;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
        lock.release();
        lockChannel.close();
    }
}
