-- A ministry's language resources, per language pair, keyed by the source in canonical spelling
-- (ResourceStore reads and writes both tables the same way).

-- The glossary: how the ministry's terms must be translated.
create table glossary_term (
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

-- The translation memory: approved translations of whole sentences; the key also has its spaces
-- collapsed, so that an exact match is a match of keys.
create table translation_memory (
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
