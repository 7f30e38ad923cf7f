-- Offers and reminders: from a fired trigger (the tax return opening), Samla plans a reminder for
-- the person, with its reason in plain words, the deadline and the moment it will be sent. The
-- moment is chosen before the deadline, on a day the person's shared calendar shows free (when they
-- share one with the agency concerned), within their preferred hours and never in their quiet
-- hours. The person moves or dismisses it; a job sends it at the moment.

-- The hours a person prefers to be contacted (Swedish time, HH:MM, within one day).
alter table notify.preferences
  add column preferred_from text check (preferred_from ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  add column preferred_until text check (preferred_until ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  add constraint preferences_preferred_hours_check
    check ((preferred_from is null) = (preferred_until is null) and
           (preferred_from is null or preferred_from < preferred_until));

create table proactive.offers (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null,
  -- An offer of something the person may want, or a reminder of something they must do.
  kind text not null check (kind in ('offer', 'reminder')),
  -- Where it comes from: the trigger's kind and occasion (once per person for each).
  source text not null,
  occasion text not null,
  -- The agency it concerns: the one a shared calendar must be shared with to be used.
  agency_id text not null,
  -- The reason as a message key and its values, so it is said in the person's language.
  reason_key text not null,
  reason_params jsonb not null,
  deadline date not null,
  scheduled_for timestamptz not null,
  -- How the moment was chosen: from the shared calendar, by the default rule, or by the person.
  planned_by text not null check (planned_by in ('calendar', 'default', 'person')),
  status text not null default 'scheduled' check (status in ('scheduled', 'sent', 'dismissed')),
  sent_at timestamptz,
  dismissed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (person_id, source, occasion)
);
create index offers_person_idx on proactive.offers (person_id, scheduled_for);
