package org.khmerai.policy;

import java.util.List;
import java.util.Optional;
import org.khmerai.text.sentence.SentenceSplitter;
import org.khmerai.text.sentence.SentenceSplitter.Sentence;

/**
 * An answer screened by a {@link CallPolicy} as it streams: held back until a sentence is complete,
 * then passed on masked, and withheld from the first sentence a BLOCK rule matches. Rules match within
 * a sentence, as they would in the whole answer. With no rule acting on calls every piece passes at once.
 */
public final class AnswerScreen {

    /** A sentence with no end is passed on (screened) once it is this long. */
    static final int MAX_HELD_CHARS = 1_000;

    private final CallPolicy policy;
    private final SentenceSplitter splitter = new SentenceSplitter(MAX_HELD_CHARS);
    private final StringBuilder held = new StringBuilder();
    private CallPolicy.Block block;

    AnswerScreen(CallPolicy policy) {
        this.policy = policy;
    }

    /** @return what of the answer may be passed on now: possibly nothing, never what a blocking rule matched */
    public String next(String piece) {
        if (block != null) {
            return "";
        }
        if (policy.isEmpty()) {
            return piece;
        }
        held.append(piece);
        List<Sentence> sentences = splitter.split(held.toString());
        return sentences.size() < 2 ? "" : pass(sentences.subList(0, sentences.size() - 1), sentences.getLast().start());
    }

    /** @return the rest of the answer, screened, once the model has finished */
    public String finish() {
        return block != null || policy.isEmpty() ? "" : pass(splitter.split(held.toString()), held.length());
    }

    /** The rule that withheld the rest of the answer, once one has. */
    public Optional<CallPolicy.Block> block() {
        return Optional.ofNullable(block);
    }

    /**
     * Screens the held text before {@code upTo}, the given sentences of it one by one, passing on those
     * before the first that is blocked.
     */
    private String pass(List<Sentence> sentences, int upTo) {
        String ready = held.substring(0, upTo);
        held.delete(0, upTo);
        StringBuilder passed = new StringBuilder();
        int at = 0;
        for (int i = 0; i < sentences.size(); i++) {
            int end = i == sentences.size() - 1 ? ready.length() : sentences.get(i).end();
            CallPolicy.Screened screened = policy.screen(ready.substring(at, end));
            if (screened.block().isPresent()) {
                block = screened.block().get();
                held.setLength(0);
                return passed.toString();
            }
            passed.append(screened.text());
            at = end;
        }
        return passed.append(ready, at, ready.length()).toString();
    }
}
