package org.khmerai.bench;

import java.util.Arrays;

/** {@code ./khmer-ai bench NAME [options]}: runs one benchmark, which prints its figures. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        String[] options = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "audit" -> AuditBenchmark.main(options);
            case "chat-relay" -> ChatRelayBenchmark.main(options);
            default -> {
                System.err.println("usage: bench audit [--rate EVENTS_PER_S] [--seconds S]\n"
                        + "       bench chat-relay [--streams N] [--rounds R]");
                System.exit(2);
            }
        }
    }
}
