-- One row per audit event, stored once whatever Kafka redelivers (the id is the event's UUIDv7).
create table audit_event (
    id          uuid        primary key,
    tenant      text        not null,
    occurred_at timestamptz not null,
    principal   text        not null,
    client_id   text        not null,
    service     text        not null,
    method      text        not null,
    status      text        not null,
    request_id  text        not null,
    event       bytea       not null, -- the khmer.audit.v1.AuditEvent as it was published
    stored_at   timestamptz not null default now()
);

-- Reviewers read one tenant's events, newest first.
create index audit_event_tenant_id on audit_event (tenant, id desc);
create index audit_event_request on audit_event (request_id);

-- Records that could not be read as audit events are kept, never dropped.
create table audit_dead_letter (
    topic        text        not null,
    partition_no int         not null,
    offset_no    bigint      not null,
    payload      bytea,
    error        text        not null,
    stored_at    timestamptz not null default now(),
    primary key (topic, partition_no, offset_no)
);
