-- Applications, automated decisions and the caseworker queue. A case keeps what was applied for,
-- who applied (and for whom), the rule set and version that decided it, the decision with its
-- reasons, and its history. An idempotency key makes a double submit file one case.
alter table cases.cases drop constraint cases_status_check;
alter table cases.cases add constraint cases_status_check
  check (status in ('submitted', 'in-progress', 'in-queue', 'waiting-for-applicant', 'decided', 'withdrawn'));

alter table cases.cases
  add column applicant_person_id uuid,
  add column idempotency_key text,
  add column request_hash text,
  add column application jsonb not null default '{}',
  add column rule_set text,
  add column rule_set_version text,
  add column outcome text check (outcome in ('approved', 'partly-approved', 'rejected')),
  add column decision jsonb,
  add column queue_reason text,
  add column decided_at timestamptz,
  add column decided_by text;

create unique index cases_idempotency_idx on cases.cases (applicant_person_id, idempotency_key);
create index cases_queue_idx on cases.cases (agency_id, status, submitted_at);

create table cases.events (
  id bigint generated always as identity primary key,
  case_id uuid not null references cases.cases (id) on delete cascade,
  at timestamptz not null default now(),
  actor_kind text not null,
  actor_id text not null,
  kind text not null,
  data jsonb not null default '{}'
);
create index events_case_idx on cases.events (case_id, at);

-- Care days claimed for a child (VAB), by whoever claimed them: the year's count, the care period
-- and two people claiming the same day are read from here.
create table cases.care_days (
  case_id uuid not null references cases.cases (id) on delete cascade,
  child_person_id uuid not null,
  claimant_person_id uuid not null,
  care_date date not null,
  fraction numeric(4, 3) not null check (fraction > 0 and fraction <= 1),
  outcome text not null,
  primary key (case_id, care_date)
);
create index care_days_child_idx on cases.care_days (child_person_id, care_date);
