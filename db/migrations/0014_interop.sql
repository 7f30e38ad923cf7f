-- Interop: tell us once. A change in a person's life that agencies need to know (a move reported in
-- Samla or registered by Skatteverket, a death), and its delivery to each agency that needs it
-- through that agency's connector, as a signed CloudEvent, with the agency's receipt.
create schema if not exists interop;

-- One change, once per person, kind and date: a move reported in Samla and the same move coming
-- back from the population register are one change, passed on once.
create table interop.changes (
  id uuid primary key,
  person_id uuid not null,
  kind text not null check (kind in ('move', 'death')),
  occurred_on date not null,
  source text not null check (source in ('samla', 'register')),
  -- What the agencies are told: for a move the new address and both municipalities.
  data jsonb not null,
  -- A report made in Samla: the key that makes a double submit one report, and the body's hash.
  idempotency_key text,
  request_hash text,
  -- A change from the population register: the register event it came with.
  register_event_id text,
  recorded_at timestamptz not null default now(),
  unique (person_id, kind, occurred_on),
  unique (person_id, idempotency_key)
);

-- One change to one agency through its connector. Stage 1 goes first (Skatteverket's
-- folkbokföring for a move reported in Samla); stage 2 follows from the population register and
-- is queued when stage 1 has its receipt. Status: waiting (for stage 1), pending (queued), failed
-- (tried, will be tried again), delivered (with the agency's receipt) or dead (given up; kept with
-- its last error, nothing is lost).
create table interop.deliveries (
  id uuid primary key,
  change_id uuid not null references interop.changes (id) on delete cascade,
  person_id uuid not null,
  agency_id text not null,
  stage smallint not null check (stage in (1, 2)),
  status text not null check (status in ('waiting', 'pending', 'failed', 'delivered', 'dead')),
  -- The CloudEvent's id: the same on every attempt, so an agency can tell a retry from a new event.
  event_id uuid not null unique,
  attempts integer not null default 0,
  last_error text,
  receipt_id text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (change_id, agency_id),
  check ((status = 'delivered') = (receipt_id is not null))
);
create index deliveries_person_idx on interop.deliveries (person_id);

-- What the demonstration connectors received: the signed event as it came, and the receipt given.
-- An event received again (a retry after a lost answer) gets the same receipt.
create table interop.demo_inbox (
  receipt_id uuid primary key,
  agency_id text not null,
  event_id uuid not null,
  content_type text not null,
  body text not null,
  signature text not null,
  received_at timestamptz not null default now(),
  unique (agency_id, event_id)
);
