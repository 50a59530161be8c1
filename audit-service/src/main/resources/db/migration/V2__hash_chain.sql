-- Each tenant's records form a hash chain (see org.khmerai.audit.chain.ChainHashes):
-- row n of a tenant stores the hash of row n-1 and its own hash over its columns and content hash.
alter table audit_event add column tenant_seq     bigint;
alter table audit_event add column content_sha256 bytea;  -- SHA-256 of the stored event, kept when the content is purged
alter table audit_event add column previous_hash  bytea;
alter table audit_event add column row_hash       bytea;
create unique index audit_event_chain on audit_event (tenant, tenant_seq);

-- The last link of each tenant's chain. Writers lock the row, so each chain grows one writer at a time.
create table audit_chain_head (
    tenant    text   primary key,
    seq       bigint not null,
    head_hash bytea  not null
);

-- The chain head signed now and then with the audit service's key, in the spirit of CloudTrail digest
-- files: a chain rewritten from some row on no longer matches the checkpoints signed before.
create table audit_checkpoint (
    tenant     text        not null,
    seq        bigint      not null,
    head_hash  bytea       not null,
    signed_at  timestamptz not null,
    key_id     text        not null,
    public_key bytea       not null, -- X.509 SubjectPublicKeyInfo of the Ed25519 key
    signature  bytea       not null,
    primary key (tenant, seq)
);
