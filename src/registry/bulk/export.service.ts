import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { ImportFormat } from './import-format.ts';
import { IMPORT_FIELDS } from './import-format.ts';
import type { BulkTarget } from './seed.service.ts';

export interface ExportOptions {
  format: ImportFormat;
  /** File to write; stdout when absent. */
  out?: string | undefined;
}

export interface ExportSummary {
  rows: number;
  seconds: number;
}

/**
 * Every person with their latest hukou (current, or the last one for the deceased and cancelled, and
 * for a person in transit between provinces),
 * the household's details, earlier ID numbers and an open residence registration: one row per person
 * in the columns of IMPORT_FIELDS, so `hukou import` of the output into an empty register rebuilds it.
 * A registration left open where the import would refuse it — of someone no longer active, or in
 * the city the hukou has since moved to (居住证暂行条例 Art. 2) — is left out, or the import would
 * reject the whole person. The hukou city is reckoned as everywhere (`hukou_city_of`, migration 0016).
 */
const EXPORT_SELECT = `
  select p.id_number, p.name, p.name_pinyin, p.former_names,
         coalesce((select array_agg(n.id_number order by n.valid_from, n.id_number) from person_id_number n
                    where n.person_id = p.id and n.id_number <> p.id_number), '{}') as former_id_numbers,
         p.sex, p.birth_date, p.ethnicity, p.birthplace_code, p.native_place_code, p.education, p.marital_status,
         p.occupation, p.employer, p.status, p.death_date,
         h.household_number, h.kind as household_kind, h.county_code as household_county_code,
         h.township_code as household_township_code, h.address as household_address, h.authority_id as household_authority_id,
         m.relationship, m.since,
         -- an active person without a current hukou is in an interprovincial transfer (moved out, not yet
         -- in): written with the origin household, as if the transfer were compensated — the format
         -- carries no transfers, and an active person's row with an end date would be refused
         case when p.status = 'active' then null else m.until end as until,
         r.authority_id as residence_authority_id, r.address as residence_address, r.registered_on as residence_since
    from person p
    left join lateral (select m.household_id, m.relationship, m.since, m.until from membership m
                        where m.person_id = p.id order by m.until is null desc, m.until desc, m.id desc limit 1) m on true
    left join household h on h.id = m.household_id
    left join authority hb on hb.id = 'county-' || h.county_code and hb.kind = 'county_bureau'
    left join authority hp on hp.id = hb.parent_id and hp.kind = 'prefecture_bureau'
    left join residence_registration r on r.person_id = p.id and r.ended_on is null and p.status = 'active'
                                      and r.city_code is distinct from hukou_city_of(h.county_code, hp.division_code)
   order by p.id`;

function exportQuery(format: ImportFormat): string {
  if (format === 'csv') {
    const columns = IMPORT_FIELDS.map((f) =>
      f === 'former_names' || f === 'former_id_numbers' ? `array_to_string(x.${f}, ';') as ${f}` : `x.${f}`,
    );
    return `copy (select ${columns.join(', ')} from (${EXPORT_SELECT}) x) to stdout with (format csv, header true)`;
  }
  // One JSON object per line. CSV format with quote and delimiter bytes that JSON text never
  // contains (json escapes control characters) writes each object exactly as PostgreSQL made it.
  const pairs = IMPORT_FIELDS.map((f) =>
    f === 'former_names' || f === 'former_id_numbers' ? `'${f}', case when cardinality(x.${f}) > 0 then to_json(x.${f}) end` : `'${f}', x.${f}`,
  );
  return `copy (select json_strip_nulls(json_build_object(${pairs.join(', ')}))::text from (${EXPORT_SELECT}) x)
          to stdout with (format csv, quote e'\\x01', delimiter e'\\x02')`;
}

/** Streams the register out (COPY TO): constant memory, whatever its size. */
export async function exportRegister(target: BulkTarget, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const client = await target.pool.connect();
  let readerLeft = false;
  try {
    // one snapshot for the whole export; CSV writes dates as DateStyle says, and the import reads YYYY-MM-DD
    await client.query(`begin isolation level repeatable read read only; set local datestyle = 'ISO, YMD'`);
    const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
    const rows = await copyOut(client, exportQuery(options.format), out, !options.out);
    if (rows === null) {
      // stdout closed early (`hukou export | head`): not an error; the connection is mid-COPY, so drop it
      readerLeft = true;
      return { rows: 0, seconds: (performance.now() - started) / 1000 };
    }
    await client.query('commit');
    return { rows, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release(readerLeft);
  }
}

/**
 * Runs a COPY … TO STDOUT into `out`; resolves with the number of rows PostgreSQL reported. With
 * `keepOpen` (stdout) `out` is not ended, and null means it was closed by its reader before the end.
 */
export async function copyOut(client: pg.ClientBase, statement: string, out: Writable, keepOpen = false): Promise<number | null> {
  const source = client.query(copyTo(statement));
  if (!keepOpen) {
    await pipeline(source, out);
    return source.rowCount ?? 0;
  }
  let closed = false;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  };
  out.on('error', onError);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (closed) return null;
      if (!out.write(chunk)) await new Promise((resolve) => (closed ? resolve(null) : out.once('drain', resolve).once('error', resolve)));
    }
    return closed ? null : (source.rowCount ?? 0);
  } finally {
    out.off('error', onError);
  }
}
