import { readdirSync, readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../platform/errors.ts';
import { repoPath } from '../platform/paths.ts';

/**
 * The service catalog (办事指南) as versioned data: `data/services/catalog-<effective>.json`, each
 * with its source, the date it takes effect and the date it was checked. An application is handled
 * under the version in force on the day it is created.
 */
const Name = Type.Object({ zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });

/** Where a material comes from (once-only, 一次不用跑): only `upload` is asked of the applicant. */
export const MaterialSource = Type.Union([Type.Literal('register'), Type.Literal('residence'), Type.Literal('department'), Type.Literal('upload')]);

export const CatalogMaterial = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }),
    name: Name,
    source: MaterialSource,
    department: Type.Optional(Type.String({ minLength: 1 })),
    required: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ServiceFlow = Type.Union([
  Type.Literal('generic'),
  Type.Literal('idcard'),
  Type.Literal('residence_registration'),
  Type.Literal('residence_permit'),
  Type.Literal('transfer'),
]);

/** What approving a generic application does, in the approval's transaction or its saga step. */
export const ServiceEffect = Type.Union([Type.Literal('certificate'), Type.Literal('birth'), Type.Literal('death'), Type.Literal('correction'), Type.Literal('none')]);

export const CompetentAuthority = Type.Union([Type.Literal('hukou_place'), Type.Literal('residence_place'), Type.Literal('destination')]);

export const CatalogService = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }),
    name: Name,
    category: Type.Union([Type.Literal('certificate'), Type.Literal('idcard'), Type.Literal('residence'), Type.Literal('transfer'), Type.Literal('register'), Type.Literal('settlement')]),
    flow: ServiceFlow,
    flowOptions: Type.Optional(Type.Object({ kind: Type.Union([Type.Literal('first'), Type.Literal('renewal'), Type.Literal('reissue'), Type.Literal('temporary')]) }, { additionalProperties: false })),
    /** The route of the existing flow when it is not submitted through the catalog. */
    applyVia: Type.Optional(Type.String({ minLength: 1 })),
    effect: Type.Optional(ServiceEffect),
    certificateKind: Type.Optional(Type.Union([Type.Literal('hukou_registration'), Type.Literal('family_relationship'), Type.Literal('deregistration')])),
    competentAuthority: CompetentAuthority,
    deadlineWorkingDays: Type.Integer({ minimum: 0, maximum: 365 }),
    deadlineNote: Type.Optional(Type.String({ minLength: 1 })),
    feeYuan: Type.Number({ minimum: 0 }),
    fullyOnline: Type.Boolean(),
    legalBasis: Type.String({ minLength: 1 }),
    materials: Type.Array(CatalogMaterial),
  },
  { additionalProperties: false },
);

const CatalogFile = Type.Object(
  {
    name: Type.Literal('service-catalog'),
    effectiveFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    source: Type.String({ minLength: 1 }),
    verifiedAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    services: Type.Array(CatalogService, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type CatalogService = Static<typeof CatalogService>;
export type CatalogMaterial = Static<typeof CatalogMaterial>;
export type CatalogVersion = Static<typeof CatalogFile>;

/** Checks one catalog file; errors name the file and the JSON position (`/services/3/deadlineWorkingDays`). */
export function parseCatalogFile(file: string, raw: unknown): CatalogVersion {
  if (!Value.Check(CatalogFile, raw)) {
    const issues = [...Value.Errors(CatalogFile, raw)].slice(0, 5).map((e) => `${file} at ${e.instancePath || '/'}: ${e.message}`);
    throw new Error(`service catalog ${file} is not valid: ${issues.join('; ')}`);
  }
  const version = raw as CatalogVersion;
  const seen = new Set<string>();
  version.services.forEach((s, i) => {
    const at = `${file} at /services/${i}`;
    if (seen.has(s.code)) throw new Error(`service catalog ${at}: service code ${s.code} appears twice`);
    seen.add(s.code);
    if (s.flow === 'generic' && !s.effect) throw new Error(`service catalog ${at}: a generic service names its effect`);
    if (s.flow !== 'generic' && s.effect) throw new Error(`service catalog ${at}: effect is for generic services; ${s.flow} runs its own flow`);
    if ((s.effect === 'certificate') !== (s.certificateKind !== undefined)) throw new Error(`service catalog ${at}: certificateKind goes with effect "certificate" and only with it`);
    if ((s.flow === 'idcard') !== (s.flowOptions !== undefined)) throw new Error(`service catalog ${at}: flowOptions.kind goes with flow "idcard" and only with it`);
    s.materials.forEach((m, j) => {
      if ((m.source === 'department') !== (m.department !== undefined)) throw new Error(`service catalog ${at}/materials/${j}: a department material names its department, and only it`);
    });
  });
  return version;
}

export interface ServiceCatalog {
  versions: CatalogVersion[];
}

/** Loads every `catalog-*.json` in `dir` (default data/services), oldest first. */
export function loadServiceCatalog(dir: string = repoPath('data', 'services')): ServiceCatalog {
  const files = readdirSync(dir).filter((f) => /^catalog-.+\.json$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no service catalog (catalog-*.json) in ${dir}`);
  const versions = files.map((f) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
    } catch (e) {
      throw new Error(`service catalog ${f} is not JSON: ${(e as Error).message}`);
    }
    return parseCatalogFile(f, raw);
  });
  versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return { versions };
}

/** The version in force on `date`. */
export function catalogOn(catalog: ServiceCatalog, date: string): CatalogVersion {
  let found: CatalogVersion | undefined;
  for (const v of catalog.versions) if (v.effectiveFrom <= date) found = v;
  if (!found) throw new Error(`no service catalog in force on ${date}`);
  return found;
}

export function findService(catalog: ServiceCatalog, date: string, code: string): { service: CatalogService; version: CatalogVersion } {
  const version = catalogOn(catalog, date);
  const service = version.services.find((s) => s.code === code);
  if (!service) {
    throw new AppError('SERVICE_NOT_FOUND', `No service ${code} in the catalog in force on ${date}; GET /api/v1/services lists them.`, { details: { serviceCode: code } });
  }
  return { service, version };
}

let shared: ServiceCatalog | null = null;
export function serviceCatalog(): ServiceCatalog {
  shared ??= loadServiceCatalog();
  return shared;
}
