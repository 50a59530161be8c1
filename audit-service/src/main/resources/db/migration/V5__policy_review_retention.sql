-- What each ministry's audit records keep and which calls its reviewers examine (org.khmerai.audit.policy).
-- The revision rises with every change; writers lock the row, the ingest reloads a ministry's rules when it rises.
create table audit_policy (
    tenant                 text        primary key,
    content_mode           text        not null,
    content_retention_days int         not null,
    revision               bigint      not null,
    updated_at             timestamptz not null,
    updated_by             text        not null
);

create table audit_policy_rule (
    tenant     text  not null references audit_policy (tenant),
    rule_id    text  not null,
    definition bytea not null, -- the khmer.audit.v1.PolicyRule as saved, checked when saved
    primary key (tenant, rule_id)
);

-- The text a ministry's content mode keeps of a call, apart from the event so that retention can purge
-- it: the stored event's stored_text_sha256 (covered by the record's hash) still says what it was.
alter table audit_event add column input_text        text;
alter table audit_event add column output_text       text;
alter table audit_event add column content_purged_at timestamptz;
create index audit_event_unpurged on audit_event (occurred_at) where content_purged_at is null
    and (input_text is not null or output_text is not null);

-- The review queue (org.khmerai.audit.review): one item per call a flagging rule matched.
create table audit_review_item (
    event_id   uuid        primary key references audit_event (id),
    tenant     text        not null,
    severity   int         not null, -- the khmer.audit.v1.Severity number of the worst finding
    findings   bytea       not null, -- a khmer.audit.v1.ReviewItem holding only its findings
    rule_ids   text[]      not null,
    state      text        not null, -- a khmer.audit.v1.ReviewState name
    flagged_at timestamptz not null,
    claimed_by text
);
create index audit_review_item_queue on audit_review_item (tenant, event_id desc);

-- What reviewers did to an item, in order; each action is also an audit event of its own.
create table audit_review_action (
    seq      bigserial   primary key,
    event_id uuid        not null references audit_review_item (event_id),
    action   text        not null,
    reviewer text        not null,
    acted_at timestamptz not null default clock_timestamp(),
    note     text        not null
);
create index audit_review_action_item on audit_review_action (event_id, seq);
