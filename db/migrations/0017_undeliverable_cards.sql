-- A card confirmed for someone who dies (or whose ID number changes) before it is handed over can
-- no longer be delivered; the hukou place rejects the application and the card is cancelled
-- (src/idcards/decide.service.ts rejectApplication). So a rejected application may keep the card it
-- had been issued (the link stays for the trail), and a card's cancellation is an event.
alter table id_card_application drop constraint id_card_application_check4;
alter table id_card_application add constraint id_card_application_card_check
  check (case state when 'accepted' then card_id is null when 'rejected' then true else card_id is not null end);

alter table id_card_event drop constraint id_card_event_kind_check;
alter table id_card_event add constraint id_card_event_kind_check check (kind in (
  'application_accepted', 'application_confirmed', 'application_rejected', 'card_issued',
  'card_delivered', 'loss_reported', 'card_superseded', 'card_expired', 'card_cancelled'));
