-- Reference data: administrative divisions (GB/T 2260, current and historical), NBS townships,
-- and national code tables (GB/T 2261.1 sex, GB/T 3304 ethnicity, GB/T 4761 relationship).
-- Rows are loaded from the versioned files under data/ by `hukou db migrate` (see src/reference).

create extension if not exists pg_trgm;

create table division (
  code        text primary key check (code ~ '^[0-9]{6}$'),
  level       text not null check (level in ('province', 'prefecture', 'county')),
  parent_code text check (parent_code ~ '^[0-9]{6}$'),
  name        text not null,              -- latest name
  valid_from  date not null,
  valid_to    date,                       -- exclusive; null while in force
  addressable boolean not null,           -- may appear as the address code of an ID number
  check (valid_to is null or valid_to > valid_from)
);
create index division_parent_idx on division (parent_code);

-- Each name a code has carried, with when (GB/T 2260 codes are renamed without changing).
create table division_name (
  code       text not null references division (code) on delete cascade,
  name       text not null,
  valid_from date not null,
  valid_to   date,
  source     text not null,
  primary key (code, valid_from, name),  -- some MCA lists carry two names for one code at once
  check (valid_to is null or valid_to > valid_from)
);

-- NBS statistical codes for townships (乡级, 9 digits); not part of GB/T 2260.
create table township (
  code        text primary key check (code ~ '^[0-9]{9}$'),
  county_code text not null references division (code),
  name        text not null
);
create index township_county_idx on township (county_code);

create table code_table (
  name           text primary key,
  standard       text not null,
  source         text not null,
  effective_from date not null,
  verified_at    date not null
);

create table code_entry (
  table_name text not null references code_table (name) on delete cascade,
  code       text not null,
  name       text not null,
  name_en    text,
  abbr       text,
  primary key (table_name, code)
);

-- Which version (SHA-256 of the source files) of each reference dataset is loaded.
create table reference_dataset (
  name      text primary key,
  sha256    text not null,
  row_count integer not null,
  loaded_at timestamptz not null default now()
);
