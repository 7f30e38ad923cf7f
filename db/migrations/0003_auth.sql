-- Login sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
-- table cannot be used to take over a session.
create schema if not exists auth;

create table auth.sessions (
  token_hash text primary key,
  subject text not null,
  person_id uuid,
  display_name text not null,
  roles text[] not null default '{}',
  agency_id text,
  assurance_level text,
  id_token text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_idx on auth.sessions (expires_at);
