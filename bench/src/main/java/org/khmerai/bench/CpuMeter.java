package org.khmerai.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import org.khmerai.bench.ChatRelayBenchmark.Load;
import org.khmerai.bench.ChatRelayBenchmark.Reader;
import org.khmerai.bench.ChatRelayBenchmark.Stream;
import org.khmerai.stack.LocalStack;

/**
 * The CPU time each process spends on the streams of one path, per stream read: every service of
 * the stack, and this JVM ("bench"), which holds the load generator, the fake model server and
 * the stack's Kafka broker. Taken from the operating system's account of each process, so
 * collections and JIT compilation count too, as does whatever a process does in the background.
 */
final class CpuMeter {

    private static final String THIS_JVM = "bench";

    private final LocalStack stack;
    private final Map<String, Duration> spent = new LinkedHashMap<>();
    private final AtomicLong streams = new AtomicLong();

    CpuMeter(LocalStack stack) {
        this.stack = stack;
    }

    /** Reads one round of {@code load} with {@code reader}, counting the CPU time spent meanwhile. */
    List<Stream> read(Load load, Reader reader) throws Exception {
        Map<String, Duration> before = clocks();
        List<Stream> read = load.read(() -> {
            streams.incrementAndGet();
            return reader.read();
        });
        clocks().forEach((process, now) -> spent.merge(process, now.minus(before.getOrDefault(process, Duration.ZERO)), Duration::plus));
        return read;
    }

    /** Milliseconds of CPU a stream, by process: {@code gateway 1.10 llm 1.52 ... bench 0.95}. */
    String perStream() {
        StringJoiner line = new StringJoiner(" ");
        long count = Math.max(1, streams.get());
        spent.forEach((process, time) -> line.add(String.format("%s %.2f", process, time.toNanos() / 1e6 / count)));
        return line.toString();
    }

    private Map<String, Duration> clocks() {
        Map<String, Duration> clocks = new LinkedHashMap<>(stack.serviceCpuTimes());
        clocks.put(THIS_JVM, ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
        return clocks;
    }
}
