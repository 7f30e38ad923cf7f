-- Events from the registers: a birth or a death registered in folkbokföringen, a pregnancy
-- registered by maternity care, a move, a marriage, a company registration, an age reached. Each is
-- stored once, by the id the register gave it: the same event sent again adds nothing.
create table people.register_events (
  id uuid primary key default gen_random_uuid(),
  -- The register that sent it (skatteverket, a region, bolagsverket) and its own id for the event.
  source text not null,
  source_event_id text not null unique,
  kind text not null check (kind in (
    'birth', 'pregnancy', 'move', 'death', 'marriage', 'company-registration', 'age-reached'
  )),
  occurred_on date not null,
  -- The person the event is about (the child born, the one who moved), and everyone it concerns
  -- (a birth's guardians too).
  person_id uuid not null references people.persons (id) on delete cascade,
  person_ids uuid[] not null,
  data jsonb not null,
  -- The fingerprint of the event as it came: the same id with other content is refused.
  request_hash text not null,
  received_at timestamptz not null default now()
);
create index register_events_person_idx on people.register_events (person_id, occurred_on desc);

-- A death registered in folkbokföringen.
alter table people.persons add column died_on date;

-- Journeys: the life events that started by themselves for a person (a registered pregnancy or
-- birth starts "Vi ska få barn", a registered move "Flytta"), and the steps of their plan that
-- changed, each with why and when. The plan itself is still computed at each request.
create schema if not exists journeys;

create table journeys.started_life_events (
  person_id uuid not null,
  life_event_id text not null,
  started_on date not null,
  -- The life event's date as the register gave it: the date of birth once the child is born.
  anchor_date date,
  anchor_kind text,
  register_event_id uuid not null,
  updated_on date not null,
  primary key (person_id, life_event_id)
);

create table journeys.step_changes (
  person_id uuid not null,
  life_event_id text not null,
  step_id text not null,
  status text not null check (status in ('done', 'granted')),
  -- Why, in words made from a message key and its values ("Födseln registrerades 3 maj").
  reason text not null,
  params jsonb not null,
  changed_on date not null,
  register_event_id uuid not null,
  primary key (person_id, life_event_id, step_id)
);
