import { Descriptions, Form, Input, Select, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Application } from '../../api/types';
import { useSession } from '../../auth/AuthContext';
import { formatDate } from '../../components/format';
import { idNumberRules } from '../../components/officer';
import { OpForm } from '../../components/OpForm';
import { Page } from '../../components/Page';

export function ApplicationSummary({ a }: { a: Application }) {
  const { t, i18n } = useTranslation();
  return (
    <Descriptions column={{ xs: 1, sm: 2 }} size="small">
      <Descriptions.Item label={t('idcards.application')}>{a.id}</Descriptions.Item>
      <Descriptions.Item label={t('card.applicationKind')}>{t(`idcards.kinds.${a.kind}`)}</Descriptions.Item>
      <Descriptions.Item label={t('card.state')}>{t(`idcards.states.${a.state}`)}</Descriptions.Item>
      <Descriptions.Item label={t('idcards.scope')}>{t(`idcards.scopes.${a.scope}`)}</Descriptions.Item>
      <Descriptions.Item label={t('idcards.fee')}>¥{a.fee.dueYuan}</Descriptions.Item>
      <Descriptions.Item label={t('card.dueOn')}>{formatDate(a.dueOn, i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={t('idcards.hukouPlace')}>{a.hukouAuthorityId}</Descriptions.Item>
    </Descriptions>
  );
}

/** Counter work for ID cards: accept an application (first, renewal, reissue, temporary), take a loss report, decide and deliver. */
export default function IdCards() {
  const { t } = useTranslation();
  const { whoami, role } = useSession();
  const authorityId = whoami?.authorityId ?? '';
  const decides = role === 'registration_officer' || role === 'supervisor';
  const kinds = ['first', 'renewal', 'reissue', 'temporary'];
  const accept = (
    <OpForm
      submitLabel={t('idcards.accept.submit')}
      submit={(v: { idNumber: string; kind: string; reason?: string }, key) =>
        post<Application>('/api/v1/id-card-applications', { idNumber: v.idNumber.trim().toUpperCase(), kind: v.kind, ...(v.kind === 'renewal' && v.reason ? { reason: v.reason } : {}), acceptingAuthorityId: authorityId, idempotencyKey: key })
      }
      done={(a) => <ApplicationSummary a={a} />}
      initialValues={{ kind: 'reissue' }}
    >
      <Typography.Paragraph type="secondary">{t('idcards.accept.intro', { authority: whoami?.account?.authorityName ?? authorityId })}</Typography.Paragraph>
      <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('card.applicationKind')} name="kind" rules={[{ required: true }]}>
        <Select options={kinds.map((k) => ({ value: k, label: t(`idcards.kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
        {({ getFieldValue }) =>
          getFieldValue('kind') === 'renewal' ? (
            <Form.Item label={t('idcards.accept.reason')} name="reason" rules={[{ required: true, message: t('form.required') }]}>
              <Select options={['expiry', 'name_change', 'damage'].map((r) => ({ value: r, label: t(`idcards.reasons.${r}`) }))} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </OpForm>
  );
  const loss = (
    <OpForm danger submitLabel={t('idcards.loss.submit')} submit={(v: { idNumber: string }, key) => post<{ reportedOn: string }>('/api/v1/id-cards/loss-reports', { idNumber: v.idNumber.trim().toUpperCase(), acceptingAuthorityId: authorityId, idempotencyKey: key })} done={(r) => t('idcards.loss.done', { on: r.reportedOn })}>
      <Typography.Paragraph type="secondary">{t('idcards.loss.intro')}</Typography.Paragraph>
      <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
    </OpForm>
  );
  const decide = (
    <OpForm
      submitLabel={t('idcards.decide.submit')}
      submit={(v: { id: string; action: 'confirm' | 'deliver' | 'reject'; reason?: string }, key) =>
        post<Application | { application: Application }>(`/api/v1/id-card-applications/${v.id.trim()}/${v.action}`, v.action === 'reject' ? { reason: v.reason, idempotencyKey: key } : { idempotencyKey: key })
      }
      done={(r) => <ApplicationSummary a={'application' in r ? r.application : r} />}
      initialValues={{ action: decides ? 'confirm' : 'deliver' }}
    >
      <Form.Item label={t('idcards.application')} name="id" rules={[{ required: true, pattern: /^\s*[0-9a-f-]{36}\s*$/i, message: t('idcards.decide.idRule') }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('idcards.decide.action')} name="action">
        <Select options={[...(decides ? ['confirm', 'reject'] : []), 'deliver'].map((a) => ({ value: a, label: t(`idcards.decide.${a}`) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.action !== b.action}>
        {({ getFieldValue }) =>
          getFieldValue('action') === 'reject' ? (
            <Form.Item label={t('form.reason')} name="reason" rules={[{ required: true, message: t('form.reasonRequired') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </OpForm>
  );
  return (
    <Page title={t('idcards.title')} intro={t('idcards.intro')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Tabs
          items={[
            { key: 'accept', label: t('idcards.accept.tab'), children: accept },
            { key: 'loss', label: t('idcards.loss.tab'), children: loss },
            { key: 'decide', label: t('idcards.decide.tab'), children: decide },
          ]}
        />
      </Space>
    </Page>
  );
}
