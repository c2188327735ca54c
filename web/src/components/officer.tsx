import { createContext, useContext, useState, type ReactNode } from 'react';
import { Alert, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { CodeTable } from '../api/types';
import { useApi } from './useApi';

/**
 * The purpose an officer states before a full record is shown (PIPL Art. 6; X-Purpose): a case
 * reference or an application id, kept for the browser tab so one case's reads share it.
 */
const PurposeContext = createContext<{ purpose: string; setPurpose: (p: string) => void } | null>(null);

export function PurposeProvider({ children }: { children: ReactNode }) {
  const [purpose, set] = useState(() => sessionStorage.getItem('hukou.purpose') ?? '');
  const setPurpose = (p: string) => {
    sessionStorage.setItem('hukou.purpose', p);
    set(p);
  };
  return <PurposeContext.Provider value={{ purpose, setPurpose }}>{children}</PurposeContext.Provider>;
}

export function usePurpose() {
  const ctx = useContext(PurposeContext);
  if (!ctx) throw new Error('usePurpose outside PurposeProvider');
  return ctx;
}

export const PURPOSE_PATTERN = /^(case|application):[A-Za-z0-9._/-]{1,100}$/;

/** `CASE-1` → `case:CASE-1`; a full `case:…` / `application:…` as typed. */
export function toPurpose(input: string): string {
  const v = input.trim();
  return /^(case|application):/.test(v) ? v : `case:${v}`;
}

export function PurposeField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={t('purpose.label')}
      name="purpose"
      extra={t('purpose.help')}
      rules={[{ required: true, message: t('purpose.required') }, { validator: (_r, v: string) => (!v || PURPOSE_PATTERN.test(toPurpose(v)) ? Promise.resolve() : Promise.reject(new Error(t('purpose.invalid')))) }]}
    >
      <Input placeholder="CASE-2026-0001" autoComplete="off" />
    </Form.Item>
  );
}

export function PurposeNote({ purpose }: { purpose: string }) {
  const { t } = useTranslation();
  return <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('purpose.logged', { purpose })} />;
}

const ID_NUMBER = /^[0-9]{17}[0-9Xx]$/;
export function idNumberRules(t: (k: string) => string, required = true) {
  return [...(required ? [{ required: true, message: t('form.idRequired') }] : []), { pattern: ID_NUMBER, message: t('form.idFormat') }];
}

/** A select over a national code table (sex, ethnicity, relationship), labelled in the current language. */
export function CodeSelect({ table, value, onChange, id }: { table: string; value?: string; onChange?: (v: string) => void; id?: string }) {
  const { i18n } = useTranslation();
  const codes = useApi(() => get<CodeTable>(`/api/v1/codes/${table}`), [table]);
  return (
    <Select
      id={id}
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      loading={codes.loading}
      options={(codes.data?.entries ?? []).map((e) => ({ value: e.code, label: `${i18n.language === 'en' && e.nameEn ? e.nameEn : e.name} (${e.code})` }))}
    />
  );
}
