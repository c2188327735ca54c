import { Card, Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Booklet, Identity } from '../../api/types';
import { formatDate } from '../../components/format';
import { Loaded, Page } from '../../components/Page';
import { useApi } from '../../components/useApi';

/** The 户口簿: the household page, then one page per member, as on paper; the citizen's own page marked. */
export default function Household() {
  const { t } = useTranslation();
  const state = useApi(async () => {
    const [booklet, identity] = await Promise.all([get<Booklet>('/api/v1/me/household'), get<Identity>('/api/v1/me/identity')]);
    return { booklet, me: identity.person.idNumber };
  }, []);
  return (
    <Page title={t('household.title')} intro={t('household.intro')}>
      <Loaded state={state}>{({ booklet, me }) => <BookletView booklet={booklet} me={me} />}</Loaded>
    </Page>
  );
}

export function BookletView({ booklet, me }: { booklet: Booklet; me?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card className="booklet-page" title={<h2 className="card-h">{t('household.front')}</h2>}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
          <Descriptions.Item label={t('household.number')}>{booklet.householdNumber}</Descriptions.Item>
          <Descriptions.Item label={t('household.kind')}>{t(`household.kinds.${booklet.kind}`, { defaultValue: booklet.kind })}</Descriptions.Item>
          <Descriptions.Item label={t('household.head')}>{booklet.head?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.authority')}>{booklet.authority.name}</Descriptions.Item>
          <Descriptions.Item label={t('household.address')} span={2}>
            {booklet.township ? `${booklet.township.name} · ` : ''}
            {booklet.address}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <h2 style={{ fontSize: 18, margin: '8px 0 0' }}>{t('household.memberPages', { count: booklet.members.length })}</h2>
      {booklet.members.map((m) => (
        <Card
          key={m.idNumber}
          className="booklet-page"
          aria-label={`${m.name}${m.idNumber === me ? ` (${t('household.me')})` : ''}`}
          title={
            <h3 className="card-h" style={{ margin: 0, fontSize: 16 }}>
              {m.name}
              {m.idNumber === me && <Tag color="blue" className="me-tag">{t('household.me')}</Tag>}
              <Tag style={{ marginLeft: 8 }}>{m.relationshipName ?? m.relationship}</Tag>
            </h3>
          }
        >
          <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('person.idNumber')}>{m.idNumber}</Descriptions.Item>
            <Descriptions.Item label={t('person.sex')}>{m.sexName ?? m.sex}</Descriptions.Item>
            <Descriptions.Item label={t('person.birthDate')}>{formatDate(m.birthDate, i18n.language)}</Descriptions.Item>
            <Descriptions.Item label={t('person.ethnicity')}>{m.ethnicityName ?? m.ethnicity}</Descriptions.Item>
            {m.formerNames.length > 0 && <Descriptions.Item label={t('person.formerNames')}>{m.formerNames.join('、')}</Descriptions.Item>}
            {m.occupation && <Descriptions.Item label={t('person.occupation')}>{m.occupation}</Descriptions.Item>}
            {m.employer && <Descriptions.Item label={t('person.employer')}>{m.employer}</Descriptions.Item>}
            <Descriptions.Item label={t('household.since')}>{formatDate(m.since, i18n.language)}</Descriptions.Item>
          </Descriptions>
        </Card>
      ))}
    </Space>
  );
}
