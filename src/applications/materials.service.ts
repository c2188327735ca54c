import { createHash } from 'node:crypto';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { applicationNotFound, applicationVisibleTo, assertActsForStep } from './access-rules.ts';
import * as q from './applications.queries.ts';
import type { MaterialMediaType } from './applications.tables.ts';
import type { CatalogService } from './catalog.ts';
import { requireTrackingNumber } from './lifecycle.service.ts';

/** Largest uploaded material (decoded bytes); the table's check says the same. */
export const MAX_MATERIAL_BYTES = 5 * 1024 * 1024;

/** Codes of required materials the applicant uploads (the register, residence and departments are fetched by reference) not yet uploaded. */
export function missingUploads(service: CatalogService, uploadedCodes: readonly string[]): string[] {
  return service.materials.filter((m) => m.required && m.source === 'upload' && !uploadedCodes.includes(m.code)).map((m) => m.code);
}

/**
 * The type of a file from its first bytes (magic numbers), never from its name or declared type:
 * PDF `%PDF-`, JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`. Anything else is null.
 */
export function sniffMediaType(bytes: Buffer): MaterialMediaType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export interface MaterialView {
  id: string;
  materialCode: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

function materialView(m: { id: string; material_code: string; media_type: string; size_bytes: number; sha256: string; uploaded_at: Date }): MaterialView {
  return { id: m.id, materialCode: m.material_code, mediaType: m.media_type, sizeBytes: m.size_bytes, sha256: m.sha256, uploadedAt: new Date(m.uploaded_at).toISOString() };
}

/**
 * Stores one material of an application still being prepared (draft or returned), by the applicant
 * or an officer of either end. Size and type are checked on the bytes before anything is stored.
 */
export async function uploadMaterial(
  ctx: ServiceContext,
  service: (code: string) => CatalogService,
  input: { trackingNumber: string; materialCode: string; contentBase64: string },
): Promise<MaterialView> {
  const trackingNumber = requireTrackingNumber(input.trackingNumber);
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length > MAX_MATERIAL_BYTES) {
    throw new AppError('MATERIAL_TOO_LARGE', `The file has ${bytes.length} bytes; the limit is ${MAX_MATERIAL_BYTES} (5 MiB). Nothing was stored.`, {
      details: { sizeBytes: bytes.length, limitBytes: MAX_MATERIAL_BYTES },
    });
  }
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    throw new AppError('MATERIAL_TYPE_NOT_ALLOWED', 'The file is not a PDF, JPEG or PNG by its content (its name and declared type are not trusted). Nothing was stored.', {
      details: { allowed: ['application/pdf', 'image/jpeg', 'image/png'] },
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const app = await q.lockByTrackingNumber(trx, trackingNumber);
    if (!app) throw applicationNotFound(trackingNumber);
    if (ctx.actor.role === 'citizen') assertActsForStep(ctx.actor, app, 'applicant', 'prepared');
    else assertActsForStep(ctx.actor, app, 'either', 'prepared');
    if (!['draft', 'returned'].includes(app.state)) {
      throw new AppError('APPLICATION_TRANSITION', `Application ${app.tracking_number} is ${app.state}; materials are uploaded while it is a draft or returned.`, {
        details: { trackingNumber: app.tracking_number, state: app.state, allowedFrom: ['draft', 'returned'] },
      });
    }
    const material = service(app.service_code).materials.find((m) => m.code === input.materialCode);
    if (!material || material.source !== 'upload') {
      throw new AppError('MATERIAL_NOT_REQUIRED', `Service ${app.service_code} asks for no upload "${input.materialCode}"${material ? ` (it is fetched from the ${material.source})` : ''}.`, {
        details: { materialCode: input.materialCode, source: material?.source ?? null },
      });
    }
    const row = await q.insertMaterial(trx, {
      application_id: app.id,
      material_code: material.code,
      media_type: mediaType,
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: bytes,
      uploaded_by: ctx.actor.id,
    });
    return materialView(row);
  });
}

export async function listMaterialsOf(ctx: ServiceContext, applicationId: string): Promise<MaterialView[]> {
  return (await q.listMaterials(ctx.db, applicationId)).map(materialView);
}

/** The bytes of one material, to those who may see the application; with whose data it is, for the access log. */
export async function readMaterial(ctx: ServiceContext, input: { trackingNumber: string; materialId: string }): Promise<{ materialCode: string; mediaType: string; sha256: string; content: Buffer; subjectPersonId: number }> {
  const trackingNumber = requireTrackingNumber(input.trackingNumber);
  const app = await q.findByTrackingNumber(ctx.db, trackingNumber);
  if (!app || !applicationVisibleTo(ctx.actor, app)) throw applicationNotFound(trackingNumber);
  const m = await q.findMaterialContent(ctx.db, app.id, input.materialId);
  if (!m) throw new AppError('NOT_FOUND', `Application ${trackingNumber} has no material ${input.materialId}.`, { details: { materialId: input.materialId } });
  return { materialCode: m.material_code, mediaType: m.media_type, sha256: m.sha256, content: m.content, subjectPersonId: app.subject_person_id };
}
