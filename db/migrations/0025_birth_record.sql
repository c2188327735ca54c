-- A birth names its parents (户口登记条例 Art. 7; the 出生医学证明 the hospital issues, 母婴保健法
-- Art. 23, proves the birth and the blood relation). One row per person registered by birth: the
-- certificate number (one letter + nine digits on the editions since 1999; unique — one certificate
-- registers one birth), and each parent linked as a person when registered, by name otherwise.
-- Owned by the registry (src/registry/birth.service.ts); births before 1996 (no certificate yet) and
-- births registered before this migration have no certificate number.
create table birth_record (
  person_id bigint primary key references person(id),
  certificate_number text unique check (certificate_number ~ '^[A-Z][0-9]{9}$'),
  mother_person_id bigint references person(id),
  mother_name text check (length(mother_name) between 1 and 60),
  father_person_id bigint references person(id),
  father_name text check (length(father_name) between 1 and 60),
  recorded_at timestamptz not null default now(),
  -- a linked parent keeps the name as registered at the birth, for the record
  check (mother_person_id is null or mother_name is not null),
  check (father_person_id is null or father_name is not null),
  check (mother_person_id is null or mother_person_id <> person_id),
  check (father_person_id is null or father_person_id <> person_id),
  check (mother_person_id is null or father_person_id is null or mother_person_id <> father_person_id)
);
create index birth_record_mother_idx on birth_record (mother_person_id) where mother_person_id is not null;
create index birth_record_father_idx on birth_record (father_person_id) where father_person_id is not null;
