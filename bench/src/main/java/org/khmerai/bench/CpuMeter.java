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
 * collections and JIT compilation count too, as does whatever a process does in the background;
 * the JIT compilers' part is counted apart as well ({@link CompilerThreads}).
 */
final class CpuMeter {

    private static final String THIS_JVM = "bench";

    private final LocalStack stack;
    private final Map<String, Clocks> spent = new LinkedHashMap<>();
    private final AtomicLong streams = new AtomicLong();

    /** CPU time of a whole process, and of its JIT compiler threads. */
    record Clocks(Duration total, Duration compilers) {

        static final Clocks ZERO = new Clocks(Duration.ZERO, Duration.ZERO);

        Clocks plus(Clocks other) {
            return new Clocks(total.plus(other.total), compilers.plus(other.compilers));
        }

        Clocks minus(Clocks other) {
            return new Clocks(total.minus(other.total), compilers.minus(other.compilers));
        }
    }

    CpuMeter(LocalStack stack) {
        this.stack = stack;
    }

    /** Reads one round of {@code load} with {@code reader}, counting the CPU time spent meanwhile. */
    List<Stream> read(Load load, Reader reader) throws Exception {
        Map<String, Clocks> before = clocks();
        List<Stream> read = load.read(() -> {
            streams.incrementAndGet();
            return reader.read();
        });
        clocks().forEach((process, now) -> spent.merge(process, now.minus(before.getOrDefault(process, Clocks.ZERO)), Clocks::plus));
        return read;
    }

    /** Milliseconds of CPU a stream, by process, the JIT compilers' part in brackets: {@code gateway 1.10 [0.02] llm 1.52 [0.10] ...}. */
    String perStream() {
        StringJoiner line = new StringJoiner(" ");
        long count = Math.max(1, streams.get());
        spent.forEach((process, time) -> line.add(String.format("%s %.2f [%.2f]", process,
                time.total().toNanos() / 1e6 / count, time.compilers().toNanos() / 1e6 / count)));
        return line.toString();
    }

    /** The JIT compilers' share of all the CPU time counted, in percent. */
    double compilersPercent() {
        Clocks all = spent.values().stream().reduce(Clocks.ZERO, Clocks::plus);
        return all.total().isZero() ? 0 : 100.0 * all.compilers().toNanos() / all.total().toNanos();
    }

    private Map<String, Clocks> clocks() {
        Map<String, Clocks> clocks = new LinkedHashMap<>();
        stack.servicePids().forEach((service, pid) -> clocks.put(service, clocksOf(pid)));
        clocks.put(THIS_JVM, clocksOf(ProcessHandle.current().pid()));
        return clocks;
    }

    /** A process's CPU time so far, all its threads together (zero where the system does not tell), and its compilers'. */
    private static Clocks clocksOf(long pid) {
        Duration total = ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).orElse(Duration.ZERO);
        return new Clocks(total, CompilerThreads.cpuTime(pid));
    }
}
