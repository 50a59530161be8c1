-- Each ministry's own terms that segmentation keeps as one word.
create table dictionary_term (
    tenant   text        not null,
    -- in the canonical spelling the normalizer gives; code point order, whatever the server's locale
    term     text        collate "C" not null,
    added_by text        not null,
    added_at timestamptz not null default now(),
    primary key (tenant, term)
);

-- One row per ministry that ever changed its dictionary. Writers lock it, so changes of one
-- ministry are serialized; readers compare revisions to know whether their copy is current.
create table dictionary_revision (
    tenant   text   primary key,
    revision bigint not null
);
