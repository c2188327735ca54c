-- The workbench's ID card queues (GET /api/v1/id-card-applications?queue=…): open applications by
-- state, nearest issue deadline first. Partial: closed applications (delivered, rejected) are most rows.
create index id_card_application_queue on id_card_application (state, due_on, created_at)
  where state in ('accepted', 'confirmed');
