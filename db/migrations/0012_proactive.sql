-- Proactive: what is due for a person on a given day (a child turning 12, the tax return opening),
-- found by a scan over the whole population. A fired trigger is stored once for its kind, person
-- and occasion, with the reason in plain words: the key makes a second run, or a second worker on
-- the same partition, add nothing.
create schema if not exists proactive;

create table proactive.fired_triggers (
  person_id uuid not null,
  kind text not null check (kind in (
    'child-turns-12', 'child-turns-16', 'turns-16', 'parental-benefit-days-at-4',
    'tax-return-opens', 'case-may-request-decision'
  )),
  -- What the trigger is about, once per person: the child's or the case's id, or the year.
  occasion text not null,
  -- The day the rule names (the birthday, the day the e-service opens).
  due_on date not null,
  reason text not null,
  -- The day scanned, and when the trigger was stored.
  fired_on date not null,
  fired_at timestamptz not null default now(),
  primary key (person_id, kind, occasion)
);

-- The date rules come down to "born on one of these days": the register answers from this index
-- without reading the table.
create index persons_birth_date_idx on people.persons (birth_date);
