import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Space, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Booklet, Identity, PersonView } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDate } from '../../components/format';
import { idNumberRules, PurposeField, PurposeNote, toPurpose, usePurpose } from '../../components/officer';
import { Page } from '../../components/Page';
import { BookletView } from '../citizen/Household';
import { CardStatusTag } from '../citizen/IdCard';

/** Person and household lookup: the purpose first (it is written to the access log the citizen reads), then the record. */
export default function Lookup() {
  const { t } = useTranslation();
  return (
    <Page title={t('lookup.title')} intro={t('lookup.intro')}>
      <Tabs items={[{ key: 'person', label: t('lookup.person'), children: <PersonLookup /> }, { key: 'household', label: t('lookup.household'), children: <HouseholdLookup /> }]} />
    </Page>
  );
}

function PersonLookup() {
  const { t, i18n } = useTranslation();
  const { purpose, setPurpose } = usePurpose();
  const [result, setResult] = useState<{ person: PersonView; identity: Identity | null; purpose: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function find(v: { purpose: string; idNumber: string }) {
    const p = toPurpose(v.purpose);
    setPurpose(v.purpose);
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const id = v.idNumber.trim().toUpperCase();
      const person = await get<PersonView>(`/api/v1/persons/${id}`, { purpose: p });
      const identity = await get<Identity>(`/api/v1/persons/${id}/identity`, { purpose: p }).catch(() => null);
      setResult({ person, identity, purpose: p });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const lang = i18n.language;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card>
        <Form layout="vertical" onFinish={find} initialValues={{ purpose }} validateTrigger={['onChange', 'onBlur']}>
          <PurposeField />
          <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
            <Input autoComplete="off" maxLength={18} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('lookup.show')}
          </Button>
        </Form>
      </Card>
      {error ? <ApiErrorAlert error={error} /> : null}
      {result && (
        <>
          <PurposeNote purpose={result.purpose} />
          <Card title={<h2 className="card-h">{result.person.person.name}</h2>}>
            <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
              <Descriptions.Item label={t('person.idNumber')}>{result.person.person.idNumber}</Descriptions.Item>
              <Descriptions.Item label={t('person.pinyin')}>{result.person.person.namePinyin}</Descriptions.Item>
              <Descriptions.Item label={t('person.sex')}>{result.person.person.sex}</Descriptions.Item>
              <Descriptions.Item label={t('person.birthDate')}>{formatDate(result.person.person.birthDate, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('person.status')}>{t(`person.statuses.${result.person.person.status}`, { defaultValue: result.person.person.status })}</Descriptions.Item>
              <Descriptions.Item label={t('form.version')}>{result.person.person.version}</Descriptions.Item>
              {result.identity && (
                <Descriptions.Item label={t('card.status')}>
                  <CardStatusTag status={result.identity.idCard.status} />
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          {result.person.household ? (
            <BookletView booklet={result.person.household} me={result.person.person.idNumber} />
          ) : (
            result.person.householdWithheld && <Tag>{t('lookup.householdWithheld')}</Tag>
          )}
          <Card title={<h2 className="card-h">{t('lookup.timeline')}</h2>}>
            <Table
              size="small"
              rowKey="id"
              scroll={{ x: true }}
              pagination={{ pageSize: 10 }}
              dataSource={result.person.timeline}
              columns={[
                { title: t('lookup.occurredOn'), dataIndex: 'occurredOn', render: (v: string) => formatDate(v, lang) },
                { title: t('lookup.event'), dataIndex: 'kind', render: (v: string) => t(`events.${v}`, { defaultValue: v }) },
                { title: t('household.authority'), dataIndex: 'authorityName' },
                { title: t('lookup.reason'), dataIndex: 'reason' },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

function HouseholdLookup() {
  const { t } = useTranslation();
  const { purpose, setPurpose } = usePurpose();
  const [result, setResult] = useState<{ booklet: Booklet; purpose: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function find(v: { purpose: string; number: string }) {
    const p = toPurpose(v.purpose);
    setPurpose(v.purpose);
    setError(null);
    setResult(null);
    try {
      setResult({ booklet: await get<Booklet>(`/api/v1/households/${encodeURIComponent(v.number.trim())}`, { purpose: p }), purpose: p });
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card>
        <Form layout="vertical" onFinish={find} initialValues={{ purpose }}>
          <PurposeField />
          <Form.Item label={t('household.number')} name="number" rules={[{ required: true, message: t('form.householdRequired') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('lookup.show')}
          </Button>
        </Form>
      </Card>
      {error ? <ApiErrorAlert error={error} /> : null}
      {result && (
        <>
          <PurposeNote purpose={result.purpose} />
          <BookletView booklet={result.booklet} />
        </>
      )}
    </Space>
  );
}
