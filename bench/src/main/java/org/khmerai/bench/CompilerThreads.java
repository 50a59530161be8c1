package org.khmerai.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The CPU time a JVM's JIT compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*})
 * have used, from Linux's account of each thread ({@code /proc/PID/task/TID/stat}, in ticks of
 * 10 ms); zero where the system keeps no such account.
 */
final class CompilerThreads {

    private static final Duration TICK = Duration.ofMillis(10);

    private CompilerThreads() {
    }

    static Duration cpuTime(long pid) {
        try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return TICK.multipliedBy(threads.mapToLong(CompilerThreads::compilerTicks).sum());
        } catch (IOException | RuntimeException gone) {
            return Duration.ZERO;
        }
    }

    /** A thread's user and system ticks if it is a compiler thread, else 0. */
    private static long compilerTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            int nameStart = stat.indexOf('(');
            int nameEnd = stat.lastIndexOf(')');
            String name = stat.substring(nameStart + 1, nameEnd);
            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                return 0;
            }
            // after the name: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime
            String[] fields = stat.substring(nameEnd + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0; // the thread ended meanwhile
        }
    }
}
