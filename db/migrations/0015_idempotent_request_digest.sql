-- The same idempotency key with another request must be refused, not answered with the first
-- request's answer: a counter officer applying for person B with the key they used for person A was
-- told "accepted" with A's application, and nothing was done for B. Each stored answer now keeps a
-- SHA-256 of its canonical request (src/platform/db/idempotency.ts requestDigest); a replay whose
-- request differs is IDEMPOTENCY_KEY_REUSED. Answers stored before this migration have none and are
-- replayed as before. (The register keeps the same digest in its first event's data.)
alter table idempotent_request add column request_digest text check (request_digest ~ '^[0-9a-f]{64}$');
