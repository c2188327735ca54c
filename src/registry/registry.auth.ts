/**
 * How the register's routes answer to accounts (issue #4): every route declares
 * `onRequest: app.guard(<operation>)` (role, personal-data rate limit, purpose) and its services
 * receive `request.actor`, whose jurisdiction the queries apply themselves — a record outside it is
 * PERSON_NOT_FOUND / HOUSEHOLD_NOT_FOUND / TRANSFER_NOT_FOUND, exactly like one that does not exist.
 * Reads of personal data also declare `config.accessLog` and note the records they return.
 */

/** OpenAPI: a session cookie or `Authorization: Bearer hk_…` (an API token of an account). */
export const BEARER = [{ bearerAuth: [] }];
