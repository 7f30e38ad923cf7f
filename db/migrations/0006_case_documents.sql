-- Documents a person sends to a case, such as a certificate from a nurse or doctor.
create table cases.documents (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases.cases (id) on delete cascade,
  kind text not null check (kind in ('certificate')),
  file_name text not null,
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer not null check (size_bytes > 0 and size_bytes <= 5242880),
  content bytea not null,
  uploaded_by uuid not null,
  uploaded_at timestamptz not null default now()
);
create index documents_case_idx on cases.documents (case_id);
