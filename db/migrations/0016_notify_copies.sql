-- Notify: a person may want the people acting for them (holders of a valid power of attorney) to
-- get a copy of each notification, through their own channels. Off until the person chooses it.
alter table notify.preferences add column copy_to_representatives boolean not null default false;
