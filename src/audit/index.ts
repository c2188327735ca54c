export type { AccessEntry, ChainedEntry } from './chain.ts';
export { AccessLogWriter, signHead, type WriterOptions } from './writer.ts';
export { installAccessLog, noteReturnedRecords, type AccessLogRoute, type ReturnedRecords } from './audit.http.ts';
export { verifyAccessLog, type VerifyReport, type Problem } from './verify.ts';
export { loadSigningKey, generateSigner, parseSigningKey, SIGNING_KEY_ENV, type CheckpointSigner } from './signing.ts';
export { getMyAccessTrail, type TrailItem } from './trail.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { registerAuditCommands } from './audit.cli.ts';
export { ANCHOR_FILE, readAnchors, type Anchor } from './anchor.ts';
