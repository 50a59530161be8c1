package org.khmerai.model;

/** Receives an answer piece by piece, as the model server streams it. */
@FunctionalInterface
public interface AnswerSink {

    void delta(String text);
}
