-- Consents and shared data sources. A consent names whose data, which categories, the agency that
-- may read them, why, and for how long; the person (or later someone acting for them) gives it and
-- may withdraw it at any time, which takes effect at the next read.
create schema if not exists consent;

create table consent.consents (
  id uuid primary key default gen_random_uuid(),
  -- Whose data: the distribution key, as in every table that holds a person's data.
  person_id uuid not null,
  -- Who gave the consent: the person themself, or someone acting for them.
  given_by uuid not null,
  recipient_agency_id text not null,
  purpose text not null,
  data_categories text[] not null check (cardinality(data_categories) > 0),
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  -- What the consent was asked for in, such as an application (a case id); null when given alone.
  reference text,
  given_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  withdrawn_by uuid,
  check (valid_until > valid_from),
  check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index consents_person_idx on consent.consents (person_id, given_at desc);
create index consents_valid_idx on consent.consents (person_id, recipient_agency_id, purpose)
  where withdrawn_at is null;

-- A calendar shared for scheduling: where it came from and what was kept. Only busy periods are
-- kept (start and end), never titles, descriptions, places or attendees. A link is kept so that a
-- later job can read it again; the row and its periods go when the sharing is withdrawn.
create table consent.calendar_sources (
  consent_id uuid primary key references consent.consents (id) on delete cascade,
  person_id uuid not null,
  kind text not null check (kind in ('file', 'link')),
  link_url text,
  read_at timestamptz not null,
  horizon_from timestamptz not null,
  horizon_until timestamptz not null,
  check ((kind = 'link') = (link_url is not null)),
  check (horizon_until > horizon_from)
);

create table consent.busy_periods (
  consent_id uuid not null references consent.calendar_sources (consent_id) on delete cascade,
  person_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  check (ends_at > starts_at),
  primary key (consent_id, starts_at)
);
create index busy_periods_person_idx on consent.busy_periods (person_id, consent_id, starts_at);
