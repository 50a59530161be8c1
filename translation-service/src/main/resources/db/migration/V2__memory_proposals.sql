-- Translations of whole sentences that translators proposed for the memory (a model's, as the caller
-- received it), until an administrator approves one into translation_memory or turns it down. Kept as
-- ResourceStore keeps the other two tables.
create table translation_proposal (
    tenant          text        not null,
    source_language text        not null,
    target_language text        not null,
    source_key      text        not null,
    source          text        not null,
    target          text        not null,
    updated_by      text        not null,
    updated_at      timestamptz not null,
    primary key (tenant, source_language, target_language, source_key)
);
