-- Closing an empty household (销户, issue #12 §5) is a registration event of its own.
alter table registration_event drop constraint registration_event_kind_check;
alter table registration_event add constraint registration_event_kind_check check (kind in (
  'birth', 'registration', 'move_in', 'move_out', 'transfer_out', 'transfer_in', 'death',
  'correction', 'id_number_change', 'head_change', 'household_created', 'household_split',
  'member_added', 'member_removed', 'relationship_change', 'household_closed'));
