/**
 * One piece of pending work for an authority (the work queue, GET /api/v1/queue): an application,
 * transfer or permit waiting for a step by that authority. Each module lists its own; the queue
 * merges them, overdue first, then by due date and age.
 */
export interface WorkItem {
  kind: 'id_card_application' | 'transfer' | 'residence_permit';
  id: string;
  /** The step waiting: confirm, deliver, destination_decision, origin_move_out, destination_move_in, issue. */
  step: string;
  personId: number;
  idNumber: string;
  name: string;
  /** The authority whose step it is. */
  authorityId: string;
  receivedOn: string;
  dueOn: string;
  /** Where to open it: the GET route of the record. */
  href: string;
}
