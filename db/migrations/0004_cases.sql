-- Cases (ärenden): a person's errands with agencies, followed in one place ("Mina ärenden").
create schema if not exists cases;

create table cases.cases (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  service_id text not null,
  agency_id text not null,
  status text not null check (status in ('submitted', 'in-progress', 'waiting-for-applicant', 'decided', 'withdrawn')),
  submitted_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cases_person_idx on cases.cases (person_id, updated_at desc);
