-- Acting for someone else. A guardian's right to act for a child comes from the population register
-- (people.relations with custody) and needs no table. A power of attorney between adults is given
-- in Samla: the principal names the holder, the areas it covers and the days it is valid, and can
-- withdraw it at any time; a withdrawn power is kept, so that both can see what it was.
create table auth.powers_of_attorney (
  id uuid primary key default gen_random_uuid(),
  -- The person who gives it (fullmaktsgivare), whose errands it opens.
  principal_person_id uuid not null,
  -- The person who may act (fullmaktshavare).
  holder_person_id uuid not null,
  -- Both names as the population register gave them when the power was given: a power of attorney
  -- names its parties.
  principal_name text not null,
  holder_name text not null,
  areas text[] not null check (cardinality(areas) > 0),
  valid_from date not null,
  valid_to date not null,
  idempotency_key text not null,
  granted_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  check (valid_to >= valid_from),
  check (holder_person_id <> principal_person_id),
  unique (principal_person_id, idempotency_key)
);
create index powers_of_attorney_holder_idx on auth.powers_of_attorney (holder_person_id, principal_person_id);

-- Whose errands the signed-in person has chosen to handle; null for their own. The right is
-- checked again at every request, so this is only the choice, never the permission.
alter table auth.sessions
  add column acting_for_person_id uuid,
  add column acting_for_name text;

-- Who filed a case for the person it concerns, and on what right: a guardian (custody) or the
-- holder of a power of attorney. Null when the person filed it themself.
alter table cases.cases
  add column filed_by_person_id uuid,
  add column filed_by_name text,
  add column filed_by_basis text check (filed_by_basis in ('custody', 'power-of-attorney')),
  add constraint cases_filed_by_check check ((filed_by_person_id is null) = (filed_by_basis is null));
