package org.khmerai.translation.resources;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The language resources of every ministry, kept alike: its glossary, its memory, and the translations proposed for it. */
@Component
public class ResourceStores {

    private final ResourceStore glossaries;
    private final ResourceStore memories;
    private final ResourceStore proposals;

    public ResourceStores(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.glossaries = new ResourceStore("glossary_term", jdbc, transactions);
        this.memories = new ResourceStore("translation_memory", jdbc, transactions);
        this.proposals = new ResourceStore("translation_proposal", jdbc, transactions);
    }

    public ResourceStore glossaries() {
        return glossaries;
    }

    public ResourceStore memories() {
        return memories;
    }

    public ResourceStore proposals() {
        return proposals;
    }

    /** A ministry's glossary for a pair as it stands now, as translations and the memory's lists check it. */
    public Glossary glossary(String tenant, LanguagePair pair) {
        return new Glossary(glossaries.all(tenant, pair));
    }
}
