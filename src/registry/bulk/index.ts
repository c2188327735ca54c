/** Public surface of bulk operations on the register: synthetic population, import, export. */
export { registerBulkCommands } from './bulk.cli.ts';
export { BULK_ERRORS } from './bulk.errors.ts';
export { seedPopulation, DEFAULT_SEED } from './seed.service.ts';
export type { BulkTarget, SeedOptions, SeedSummary, SeedPhase } from './seed.service.ts';
export { seedDemoIfEmpty, DEMO_POPULATION } from './demo.ts';
export { importFile } from './import.service.ts';
export type { ImportOptions, ImportSummary } from './import.service.ts';
export { exportRegister } from './export.service.ts';
export type { ExportOptions, ExportSummary } from './export.service.ts';
export { IMPORT_FIELDS, REQUIRED_FIELDS } from './import-format.ts';
