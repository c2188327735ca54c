import type { Command } from 'commander';
import { printResult } from '../platform/cli/output.ts';
import { EXIT } from '../platform/cli/exit-codes.ts';
import { loadDivisionIndex } from '../reference/index.ts';
import { checkIdNumber } from './validate.ts';
import { upgradeIdNumber15 } from './upgrade.ts';

export function registerIdNumberCommands(program: Command): void {
  const id = program.command('id').description('resident ID numbers (GB 11643-1999)');

  id.command('check')
    .description('validate an ID number: format, birth date, check digit, address code at the birth date')
    .argument('<number>', '18-character resident ID number')
    .option('--json', 'print JSON', false)
    .action((number: string, opts: { json: boolean }) => {
      const result = checkIdNumber(number, { divisions: loadDivisionIndex() });
      printResult(result, opts.json, () => {
        const lines = [`${result.normalized}: ${result.valid ? 'valid' : 'INVALID'}`];
        if (result.birthDate) lines.push(`  born ${result.birthDate}, ${result.sex ?? 'sex unknown'}`);
        if (result.birthPlace) {
          const p = result.birthPlace;
          lines.push(`  address code ${result.addressCode}: ${[p.province, p.prefecture, p.county].filter(Boolean).join(' ')}`);
        }
        for (const e of result.errors) lines.push(`  error ${e.code}: ${e.message}`);
        for (const w of result.warnings) lines.push(`  warning ${w.code}: ${w.message}`);
        return lines.join('\n');
      });
      if (!result.valid) process.exitCode = EXIT.NO;
    });

  id.command('upgrade')
    .description('upgrade a legacy 15-digit number to 18 digits (refuses sequence codes 996-999: manual review)')
    .argument('<number>', '15-digit legacy ID number')
    .option('--json', 'print JSON', false)
    .action((number: string, opts: { json: boolean }) => {
      const r = upgradeIdNumber15(number);
      const body = r.ok
        ? { ok: true, input: number, id18: r.id18, error: null }
        : { ok: false, input: number, id18: null, error: { code: r.code, message: r.message } };
      printResult(body, opts.json, () => (r.ok ? r.id18 : `cannot upgrade ${number}: ${r.code}: ${r.message}`));
      if (!r.ok) process.exitCode = EXIT.NO;
    });
}
