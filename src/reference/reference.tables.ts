import type { Generated } from 'kysely';

export interface DivisionTable {
  code: string;
  level: 'province' | 'prefecture' | 'county';
  parent_code: string | null;
  name: string;
  valid_from: string;
  valid_to: string | null;
  addressable: boolean;
}

export interface DivisionNameTable {
  code: string;
  name: string;
  valid_from: string;
  valid_to: string | null;
  source: string;
}

export interface TownshipTable {
  code: string;
  county_code: string;
  name: string;
}

export interface CodeTableTable {
  name: string;
  standard: string;
  source: string;
  effective_from: string;
  verified_at: string;
}

export interface CodeEntryTable {
  table_name: string;
  code: string;
  name: string;
  name_en: string | null;
  abbr: string | null;
}

export interface ReferenceDatasetTable {
  name: string;
  sha256: string;
  row_count: number;
  loaded_at: Generated<Date>;
}

export interface ReferenceTables {
  division: DivisionTable;
  division_name: DivisionNameTable;
  township: TownshipTable;
  code_table: CodeTableTable;
  code_entry: CodeEntryTable;
  reference_dataset: ReferenceDatasetTable;
  authority: AuthorityTable;
}

export interface AuthorityTable {
  id: string;
  kind: 'ministry' | 'provincial_department' | 'prefecture_bureau' | 'county_bureau' | 'police_station';
  name: string;
  parent_id: string | null;
  division_code: string | null;
  township_code: string | null;
  remote: Generated<boolean>;
}

declare module '../platform/db/schema.ts' {
  interface Database extends ReferenceTables {}
}
