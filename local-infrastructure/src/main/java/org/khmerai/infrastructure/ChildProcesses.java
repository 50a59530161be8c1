package org.khmerai.infrastructure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stops the servers this machine runs as child processes: politely first, then for sure. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** SIGTERM, and SIGKILL when the process has not exited within {@code grace}. */
    public static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
