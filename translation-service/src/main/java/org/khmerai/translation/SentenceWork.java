package org.khmerai.translation;

import java.util.List;
import org.khmerai.model.Outcome;
import org.khmerai.text.sentence.SentenceSplitter.Sentence;
import org.khmerai.translation.resources.LanguagePair;
import org.khmerai.translation.resources.MemoryKey;
import org.khmerai.translation.resources.ResourceEntry;
import org.khmerai.translation.v1.SentenceOrigin;

/** One sentence of a call on its way from source to translation. Each is written by one thread, then read after all are done. */
final class SentenceWork {

    final Sentence span;
    final String source;
    final String memoryKey;
    final LanguagePair pair;
    List<ResourceEntry> glossaryTerms = List.of();
    String translation;
    SentenceOrigin origin;
    String backend = "";
    Outcome.Usage usage = new Outcome.Usage(0, 0, 0);
    boolean proposed;

    SentenceWork(Sentence span, String text, LanguagePair pair) {
        this.span = span;
        this.source = span.of(text);
        this.memoryKey = MemoryKey.of(source);
        this.pair = pair;
    }

    void fromMemory(String approved) {
        translation = approved;
        origin = SentenceOrigin.SENTENCE_ORIGIN_MEMORY;
    }

    void fromModel(String answer, String server, Outcome.Usage tokens) {
        translation = answer;
        origin = SentenceOrigin.SENTENCE_ORIGIN_MODEL;
        backend = server;
        usage = tokens;
    }
}
