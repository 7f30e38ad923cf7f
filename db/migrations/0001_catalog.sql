-- The catalogue: agencies at three levels, public services (CPSV-AP), national templates and the
-- municipalities' adoptions of them, and life events with their steps. Loaded from data/catalog.
create schema if not exists catalog;

create table catalog.releases (
  version text primary key,
  loaded_at timestamptz not null default now()
);

create table catalog.agencies (
  id text primary key,
  level text not null check (level in ('state', 'region', 'municipality')),
  code text,
  region_id text references catalog.agencies (id),
  document jsonb not null
);

create table catalog.services (
  id text primary key,
  is_template boolean not null,
  competent_authority text not null,
  automatic boolean not null,
  document jsonb not null
);

create table catalog.adoptions (
  template_id text not null references catalog.services (id),
  agency_id text not null references catalog.agencies (id),
  parameters jsonb not null,
  adopted_on date not null,
  primary key (template_id, agency_id)
);

create table catalog.life_events (
  id text primary key,
  position integer not null,
  document jsonb not null
);
