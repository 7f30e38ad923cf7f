-- Jobs: a durable queue in PostgreSQL. A job is written in the same transaction as the change that
-- causes it (outbox), and workers take due jobs with FOR UPDATE SKIP LOCKED, so several workers in
-- several processes share the work and no job runs twice at once. A worker holds a job for a lease
-- (locked_until); when the lease runs out (the worker stopped), the job is queued again.
create schema if not exists jobs;

create table jobs.jobs (
  id bigint generated always as identity primary key,
  name text not null,
  payload jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'dead')),
  run_at timestamptz not null,
  attempts integer not null default 0,
  -- Enqueueing twice with the same key gives one job.
  unique_key text unique,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'running') = (locked_until is not null))
);
create index jobs_due_idx on jobs.jobs (run_at, id) where status = 'queued';
create index jobs_lease_idx on jobs.jobs (locked_until) where status = 'running';
create index jobs_finished_idx on jobs.jobs (finished_at) where status = 'done';

-- Notify: what a person is told outside Samla (e-mail, SMS, web push), and how they want it.
create schema if not exists notify;

-- One preference centre per person: channels in order of preference, language, quiet hours
-- (Swedish time, HH:MM; no SMS or push then), and the addresses.
create table notify.preferences (
  person_id uuid primary key,
  channels text[] not null default '{}' check (channels <@ array['email', 'sms', 'push']::text[]),
  language text not null default 'sv' check (language in ('sv', 'en')),
  quiet_from text check (quiet_from ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  quiet_until text check (quiet_until ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  email text,
  mobile text,
  updated_at timestamptz not null default now(),
  check ((quiet_from is null) = (quiet_until is null))
);

-- Browsers that may show the person's notifications (web push). One browser has one endpoint.
create table notify.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  endpoint text not null unique,
  p256dh text not null,
  auth text not null,
  created_at timestamptz not null default now()
);
create index push_subscriptions_person_idx on notify.push_subscriptions (person_id);

-- A notification: something to tell the person, with the channels it may go through, in order.
create table notify.notifications (
  id uuid primary key,
  person_id uuid not null,
  template text not null,
  data jsonb not null,
  channels text[] not null,
  language text not null check (language in ('sv', 'en')),
  unique_key text unique,
  created_at timestamptz not null default now()
);
create index notifications_person_idx on notify.notifications (person_id, created_at desc);

-- A message: one notification through one channel, with its delivery status. When a channel fails
-- for good (dead), the next channel gets a message of its own.
create table notify.messages (
  id uuid primary key,
  notification_id uuid not null references notify.notifications (id) on delete cascade,
  person_id uuid not null,
  channel text not null check (channel in ('email', 'sms', 'push')),
  recipient text,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'dead')),
  attempts integer not null default 0,
  last_error text,
  scheduled_for timestamptz not null,
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index messages_person_idx on notify.messages (person_id, created_at desc);
create index messages_notification_idx on notify.messages (notification_id);

-- The development mailbox: mail that Samla's embedded SMTP server caught (no SMTP_URL set).
create table notify.caught_mail (
  id uuid primary key default gen_random_uuid(),
  message_id uuid,
  envelope_from text not null,
  envelope_to text[] not null,
  subject text not null,
  text_body text not null,
  size_bytes integer not null,
  received_at timestamptz not null default now()
);
create index caught_mail_message_idx on notify.caught_mail (message_id);

-- The demonstration SMS gateway: messages it would have sent.
create table notify.demo_sms (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null,
  to_number text not null,
  body text not null,
  sent_at timestamptz not null default now()
);
create index demo_sms_message_idx on notify.demo_sms (message_id);
