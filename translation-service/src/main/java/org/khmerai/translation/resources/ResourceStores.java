package org.khmerai.translation.resources;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The two language resources of every ministry, kept alike. */
@Component
public class ResourceStores {

    private final ResourceStore glossaries;
    private final ResourceStore memories;

    public ResourceStores(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.glossaries = new ResourceStore("glossary_term", jdbc, transactions);
        this.memories = new ResourceStore("translation_memory", jdbc, transactions);
    }

    public ResourceStore glossaries() {
        return glossaries;
    }

    public ResourceStore memories() {
        return memories;
    }
}
