package org.khmerai.model;

/** How a call to a model alias ended. */
public sealed interface Outcome {

    /** Token counts as the model server reported them. */
    record Usage(int promptTokens, int completionTokens, int totalTokens) {
        static final Usage NONE = new Usage(0, 0, 0);
    }

    /** The model finished its answer and the server closed the stream properly. */
    record Finished(ModelServer server, String finishReason, Usage usage) implements Outcome {
    }

    /** The stream broke off after the answer had begun: what was sent may be cut short. */
    record Incomplete(ModelServer server, String why) implements Outcome {
    }

    /** The server refused the request itself (HTTP 400 or 422): no other server would take it either. */
    record Refused(ModelServer server, String why) implements Outcome {
    }

    /** No server answered: each failed before its first token, or was being skipped for failing. */
    record Unavailable(String why) implements Outcome {
    }

    /** @param answerBegun whether part of an answer had been streamed, which is then cut short */
    record DeadlineExceeded(String why, boolean answerBegun) implements Outcome {
    }

    /** The caller went away; the server's request was cancelled. */
    record Cancelled() implements Outcome {
    }

    /** One server failed before its first token: the next may be tried. Only between client and router. */
    record FailedBeforeAnswer(ModelServer server, String why) implements Outcome {
    }
}
