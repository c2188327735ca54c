import { Form, Input, Select, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { useSession } from '../../auth/AuthContext';
import { idNumberRules } from '../../components/officer';
import { OpForm } from '../../components/OpForm';
import { Page } from '../../components/Page';

const UUID_RULE = /^\s*[0-9a-f-]{36}\s*$/i;

/** Residence registration (居住登记), residence permits (居住证) and endorsements (签注). */
export default function Residence() {
  const { t } = useTranslation();
  const { whoami, role } = useSession();
  const authorityId = whoami?.authorityId ?? '';
  const decides = role === 'registration_officer' || role === 'supervisor';
  const register = (
    <OpForm submitLabel={t('residence.register.submit')} submit={(v: { idNumber: string; address: string }, key) => post<{ id: string }>('/api/v1/residence-registrations', { idNumber: v.idNumber.trim().toUpperCase(), authorityId, address: v.address, idempotencyKey: key })} done={(r) => t('residence.register.done', { id: r.id })}>
      <Typography.Paragraph type="secondary">{t('residence.register.intro')}</Typography.Paragraph>
      <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item label={t('residence.address')} name="address" rules={[{ required: true, message: t('form.required') }]}>
        <Input />
      </Form.Item>
    </OpForm>
  );
  const permit = (
    <OpForm
      submitLabel={t('residence.permit.submit')}
      submit={(v: { idNumber: string; basis: string; basisEvidence: string }, key) => post<{ id: string; dueOn: string }>('/api/v1/residence-permits', { idNumber: v.idNumber.trim().toUpperCase(), authorityId, basis: v.basis, basisEvidence: v.basisEvidence, idempotencyKey: key })}
      done={(r) => t('residence.permit.done', { id: r.id, dueOn: r.dueOn })}
    >
      <Typography.Paragraph type="secondary">{t('residence.permit.intro')}</Typography.Paragraph>
      <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item label={t('residence.permit.basis')} name="basis" rules={[{ required: true, message: t('form.required') }]}>
        <Select options={['employment', 'residence_lease', 'residence_owned', 'study'].map((b) => ({ value: b, label: t(`residence.bases.${b}`) }))} />
      </Form.Item>
      <Form.Item label={t('residence.permit.evidence')} name="basisEvidence" rules={[{ required: true, message: t('form.required') }]}>
        <Input />
      </Form.Item>
    </OpForm>
  );
  const decide = (
    <OpForm
      submitLabel={t('residence.decide.submit')}
      initialValues={{ action: 'issue' }}
      submit={(v: { id: string; action: 'issue' | 'reject' | 'cancel'; reason?: string }, key) => post(`/api/v1/residence-permits/${v.id.trim()}/${v.action}`, v.action === 'issue' ? { idempotencyKey: key } : { reason: v.reason, idempotencyKey: key })}
    >
      <Form.Item label={t('residence.permitId')} name="id" rules={[{ required: true, pattern: UUID_RULE, message: t('idcards.decide.idRule') }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t('idcards.decide.action')} name="action">
        <Select options={['issue', 'reject', 'cancel'].map((a) => ({ value: a, label: t(`residence.decide.${a}`) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.action !== b.action}>
        {({ getFieldValue }) =>
          getFieldValue('action') !== 'issue' ? (
            <Form.Item label={t('form.reason')} name="reason" rules={[{ required: true, message: t('form.reasonRequired') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </OpForm>
  );
  const endorse = (
    <OpForm submitLabel={t('residence.endorse.submit')} submit={(v: { id: string }, key) => post(`/api/v1/residence-permits/${v.id.trim()}/endorsements`, { authorityId, idempotencyKey: key })}>
      <Typography.Paragraph type="secondary">{t('residence.endorse.intro')}</Typography.Paragraph>
      <Form.Item label={t('residence.permitId')} name="id" rules={[{ required: true, pattern: UUID_RULE, message: t('idcards.decide.idRule') }]}>
        <Input />
      </Form.Item>
    </OpForm>
  );
  const end = (
    <OpForm danger submitLabel={t('residence.end.submit')} submit={(v: { id: string; reason: string }, key) => post(`/api/v1/residence-registrations/${v.id.trim()}/end`, { reason: v.reason, idempotencyKey: key })}>
      <Form.Item label={t('residence.registrationId')} name="id" rules={[{ required: true, pattern: UUID_RULE, message: t('idcards.decide.idRule') }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t('form.reason')} name="reason" rules={[{ required: true, message: t('form.reasonRequired') }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </OpForm>
  );
  return (
    <Page title={t('residence.title')} intro={t('residence.intro')}>
      <Tabs
        items={[
          { key: 'register', label: t('residence.register.tab'), children: register },
          { key: 'permit', label: t('residence.permit.tab'), children: permit },
          ...(decides ? [{ key: 'decide', label: t('residence.decide.tab'), children: decide }] : []),
          { key: 'endorse', label: t('residence.endorse.tab'), children: endorse },
          { key: 'end', label: t('residence.end.tab'), children: end },
        ]}
      />
    </Page>
  );
}
