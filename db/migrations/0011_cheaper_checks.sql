-- The register's per-row format checks without regular expressions (issue #3, speed of `hukou seed`
-- and `hukou import`): a regex match costs about 1.5 µs a row, a million people pass the ID-number
-- pattern twice (person, person_id_number) and the ethnicity and relationship patterns once. Each replacement
-- accepts exactly the strings the pattern it replaces accepted:
--
-- - '^[0-9]{17}[0-9X]$' (GB 11643: 17 digits and a digit or X check character): 18 bytes, and after
--   stripping the leading digits nothing or a single X is left (so the X can only be the 18th
--   character; any other character, multi-byte ones included, leaves more);
-- - '^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$' (GB/T 3304 ethnicity code): 2 bytes, all digits, and
--   01–56 (compared byte-wise, so in numeric order whatever the database collation) or 97 or 98;
-- - '^[0-9]{2}$' (GB/T 4761 relationship code): 2 bytes, all digits.
--
-- Same constraint names, so errors name the same constraints as before.

alter table person
  drop constraint person_id_number_check,
  add constraint person_id_number_check check (octet_length(id_number) = 18 and ltrim(id_number, '0123456789') in ('', 'X')),
  drop constraint person_ethnicity_check,
  add constraint person_ethnicity_check check (
    octet_length(ethnicity) = 2 and ltrim(ethnicity, '0123456789') = ''
    and (ethnicity collate "C" between '01' and '56' or ethnicity in ('97', '98')));

alter table person_id_number
  drop constraint person_id_number_id_number_check,
  add constraint person_id_number_id_number_check check (octet_length(id_number) = 18 and ltrim(id_number, '0123456789') in ('', 'X'));

alter table membership
  drop constraint membership_relationship_check,
  add constraint membership_relationship_check check (octet_length(relationship) = 2 and ltrim(relationship, '0123456789') = '');
