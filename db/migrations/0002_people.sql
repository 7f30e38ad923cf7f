-- People as Samla knows them from the population register, with an internal id. The personal
-- identity number is personal data like any other and is read through the people module only.
create schema if not exists people;

create table people.persons (
  id uuid primary key default gen_random_uuid(),
  personal_number text not null unique check (personal_number ~ '^[0-9]{12}$'),
  given_name text not null,
  family_name text not null,
  birth_date date not null,
  municipality_id text not null,
  address jsonb not null,
  civil_status text not null check (civil_status in ('unmarried', 'married', 'registered-partner', 'divorced', 'widowed')),
  occupation jsonb,
  synced_at timestamptz not null default now()
);

-- Relations as the register gives them: a parent's children, with custody; spouses.
create table people.relations (
  person_id uuid not null references people.persons (id) on delete cascade,
  related_person_id uuid not null references people.persons (id) on delete cascade,
  kind text not null check (kind in ('child', 'parent', 'spouse')),
  custody boolean not null default false,
  primary key (person_id, related_person_id, kind)
);
create index relations_related_idx on people.relations (related_person_id);

-- Facts other registers hold that plans are computed from: a pregnancy registered by maternity
-- care, a move the person has announced, a business they are starting.
create table people.circumstances (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people.persons (id) on delete cascade,
  kind text not null check (kind in ('pregnancy', 'planned-move', 'planned-business')),
  data jsonb not null,
  source text not null,
  registered_on date not null,
  unique (person_id, kind)
);

-- Every read of personal data: who read whose data, what, when and why. The citizen's data
-- tracker is built on this table.
create table people.access_log (
  id bigint generated always as identity primary key,
  person_id uuid not null references people.persons (id) on delete cascade,
  actor_kind text not null check (actor_kind in ('person', 'caseworker', 'service-owner', 'agency-system', 'rule', 'samla')),
  actor_id text not null,
  actor_agency_id text,
  on_behalf_of uuid,
  purpose text not null,
  legal_basis text not null,
  data_categories text[] not null,
  read_at timestamptz not null default now()
);
create index access_log_person_idx on people.access_log (person_id, read_at desc);
