-- The access records become tamper-evident and append-only. Each person has one chain: every
-- record carries its sequence number in the person's chain, the hash of the record before it, the
-- SHA-256 of a canonical encoding of its own content, and its own hash: SHA-256 over the previous
-- hash followed by the content's hash. The insert trigger links each new record to the last one of
-- its person's chain, under a lock of that person only, so writers for different persons never
-- wait for each other, nothing is ever updated (the table only grows, without dead rows), and one
-- INSERT statement (any number of records) is one round trip.
--
-- The canonical encoding (version 1), which `samla audit verify` recomputes in TypeScript
-- (src/modules/people/access-chain.ts): the text 'samla-access-v1', then each field as
-- <length in UTF-8 bytes>:<value>, or '-' for null, in this order: person, actor kind, actor id,
-- actor's agency, on behalf of, consent id, purpose, legal basis, the data categories as
-- '[' field… ']', and the time of the read in microseconds since 1970-01-01 UTC. The first record's
-- previous hash is 32 zero bytes. Samla sends the content's hash with each record (it costs the
-- database nothing then); a record inserted without one gets it from the trigger. Either way verify
-- recomputes it from the columns, so a wrong one shows as a changed record.
--
-- Sealed heads: people.access_chain_heads keeps, for each chain, the sequence number and hash of
-- its last record as of the latest seal. Sealing runs every minute (people.sealAccessChains) and
-- only moves heads forward. A chain that ends before its sealed head has lost records at its end,
-- which the links alone could not show. Updating a head with every record would make the heads a
-- small table of hot rows, rewritten thousands of times a second; sealing writes each head once a
-- minute at most.
--
-- Erasure: the records outlive the person's register data. Keeping a log of who read whose data
-- is a legal obligation of the agencies (GDPR art. 17.3 b), so the foreign key that deleted a
-- person's records with the person is dropped. When a chain's retention period is over, the whole
-- chain is removed with people.erase_access_chain(person), the one way a record can be deleted.

alter table people.access_log drop constraint access_log_person_id_fkey;

alter table people.access_log
  add column consent_id uuid,
  add column content_hash bytea,
  add column seq bigint,
  add column prev_hash bytea,
  add column hash bytea;

create table people.access_chain_heads (
  person_id uuid primary key,
  seq bigint not null,
  hash bytea not null,
  sealed_at timestamptz not null default now()
);

-- Each seal: how far it read (by record id). A seal reads from the id the seal before the previous
-- one reached, so that a record whose INSERT was still on its way then is sealed now.
create table people.access_chain_seals (
  id bigint generated always as identity primary key,
  sealed_at timestamptz not null default now(),
  up_to_id bigint not null
);

create function people.chain_field(value text) returns text
language sql immutable parallel safe
as $$ select case when value is null then '-' else octet_length(value)::text || ':' || value end $$;

-- In PL/pgSQL rather than SQL: called once a record, it costs a quarter of what a SQL function
-- with a subquery does.
create function people.access_record_content(
  person_id uuid,
  actor_kind text,
  actor_id text,
  actor_agency_id text,
  on_behalf_of uuid,
  consent_id uuid,
  purpose text,
  legal_basis text,
  data_categories text[],
  read_at timestamptz
) returns bytea
language plpgsql immutable parallel safe
as $$
declare
  categories text := '[';
  category text;
begin
  foreach category in array data_categories loop
    categories := categories || people.chain_field(category);
  end loop;
  return convert_to(
    'samla-access-v1'
    || people.chain_field(person_id::text)
    || people.chain_field(actor_kind)
    || people.chain_field(actor_id)
    || people.chain_field(actor_agency_id)
    || people.chain_field(on_behalf_of::text)
    || people.chain_field(consent_id::text)
    || people.chain_field(purpose)
    || people.chain_field(legal_basis)
    || categories || ']'
    || people.chain_field(((extract(epoch from read_at) * 1000000)::bigint)::text),
    'UTF8');
end $$;

-- The records already written are chained in the order they were written.
do $$
declare
  r record;
  current_person uuid;
  previous bytea;
  n bigint;
  c bytea;
  h bytea;
begin
  for r in select * from people.access_log order by person_id, id loop
    if current_person is distinct from r.person_id then
      current_person := r.person_id;
      previous := decode(repeat('00', 32), 'hex');
      n := 0;
    end if;
    n := n + 1;
    c := sha256(people.access_record_content(r.person_id, r.actor_kind, r.actor_id,
      r.actor_agency_id, r.on_behalf_of, null, r.purpose, r.legal_basis, r.data_categories, r.read_at));
    h := sha256(previous || c);
    update people.access_log set seq = n, content_hash = c, prev_hash = previous, hash = h where id = r.id;
    previous := h;
  end loop;
end $$;

insert into people.access_chain_heads (person_id, seq, hash)
select distinct on (person_id) person_id, seq, hash
from people.access_log
order by person_id, seq desc;
insert into people.access_chain_seals (up_to_id) select coalesce(max(id), 0) from people.access_log;

alter table people.access_log
  alter column content_hash set not null,
  alter column seq set not null,
  alter column prev_hash set not null,
  alter column hash set not null;

-- The chain's order, and the citizen's list (newest first), come from the primary key, the one
-- b-tree a new record updates. The record id stays unique (an identity) and is found by a BRIN
-- index, which costs an append-only table next to nothing: the seal reads the newest ids with it.
drop index people.access_log_person_idx;
alter table people.access_log drop constraint access_log_pkey;
alter table people.access_log add primary key (person_id, seq);
create index access_log_id_idx on people.access_log using brin (id);

-- Every new record is put at the end of its person's chain, whatever the client sent for seq and
-- the chain's hashes. A transaction lock on the person (advisory, in a key space of its own) orders
-- concurrent writers of the same chain; the last record is found through the chain's index. In
-- READ COMMITTED, the query after the lock sees what the writer before committed, and a record
-- earlier in the same statement.
create function people.chain_access_record() returns trigger
language plpgsql
as $$
declare
  last_seq bigint;
  last_hash bytea;
begin
  new.read_at := coalesce(new.read_at, now());
  if new.content_hash is null then
    new.content_hash := sha256(people.access_record_content(new.person_id, new.actor_kind,
      new.actor_id, new.actor_agency_id, new.on_behalf_of, new.consent_id, new.purpose,
      new.legal_basis, new.data_categories, new.read_at));
  end if;
  perform pg_advisory_xact_lock(1094926657, hashtext(new.person_id::text));
  select l.seq, l.hash into last_seq, last_hash
    from people.access_log l
   where l.person_id = new.person_id
   order by l.seq desc
   limit 1;
  if last_seq is null then
    last_seq := 0;
    last_hash := '\x0000000000000000000000000000000000000000000000000000000000000000';
  end if;
  new.seq := last_seq + 1;
  new.prev_hash := last_hash;
  new.hash := sha256(last_hash || new.content_hash);
  return new;
end $$;

create trigger access_log_chain before insert on people.access_log
  for each row execute function people.chain_access_record();

-- Append-only: no record is changed, and none is deleted except by erasing a whole chain.
create function people.refuse_access_log_change() returns trigger
language plpgsql
as $$
begin
  if tg_op = 'DELETE' then
    if current_setting('samla.erasing_access_chain', true) = old.person_id::text then
      return old;
    end if;
  end if;
  raise exception 'access records are append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end $$;

create trigger access_log_append_only before update or delete on people.access_log
  for each row execute function people.refuse_access_log_change();
create trigger access_log_no_truncate before truncate on people.access_log
  for each statement execute function people.refuse_access_log_change();

-- A sealed head only moves forward, and goes only with its whole chain.
create function people.guard_access_chain_head() returns trigger
language plpgsql
as $$
begin
  if tg_op = 'UPDATE' then
    if new.person_id = old.person_id and (new.seq > old.seq or (new.seq = old.seq and new.hash = old.hash)) then
      return new;
    end if;
  elsif tg_op = 'DELETE' then
    if current_setting('samla.erasing_access_chain', true) = old.person_id::text then
      return old;
    end if;
  end if;
  raise exception 'sealed heads of access chains only move forward: % on % is refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end $$;

create trigger access_chain_heads_guard before update or delete on people.access_chain_heads
  for each row execute function people.guard_access_chain_head();
create trigger access_chain_heads_no_truncate before truncate on people.access_chain_heads
  for each statement execute function people.guard_access_chain_head();

-- The one way to delete access records: a person's whole chain, head included, once its
-- retention period is over. Returns the number of records removed.
create function people.erase_access_chain(person uuid) returns bigint
language plpgsql
as $$
declare
  removed bigint;
begin
  perform set_config('samla.erasing_access_chain', person::text, true);
  delete from people.access_log where person_id = person;
  get diagnostics removed = row_count;
  delete from people.access_chain_heads where person_id = person;
  perform set_config('samla.erasing_access_chain', '', true);
  return removed;
end $$;
