-- The portal inbox: decisions and requests arrive here as messages, written in the same
-- transaction as the decision or request itself.
create table cases.messages (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  case_id uuid not null references cases.cases (id) on delete cascade,
  kind text not null check (kind in ('decision', 'request')),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index messages_person_idx on cases.messages (person_id, created_at desc);

-- Care days a parent records as they happen ("jag vabbar i dag"), before applying afterwards.
create table cases.recorded_care_days (
  person_id uuid not null,
  child_person_id uuid not null,
  care_date date not null,
  fraction numeric(4, 3) not null check (fraction in (1, 0.75, 0.5, 0.25, 0.125)),
  reason text not null,
  recorded_at timestamptz not null default now(),
  employer_notified_at timestamptz,
  applied_in_case uuid references cases.cases (id) on delete set null,
  primary key (person_id, child_person_id, care_date)
);
