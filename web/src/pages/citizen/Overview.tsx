import { Card, Col, Descriptions, Row, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Booklet, Identity } from '../../api/types';
import { formatDate } from '../../components/format';
import { Loaded, Page } from '../../components/Page';
import { useApi } from '../../components/useApi';
import { StepsList } from './StepsList';
import { CardStatusTag } from './IdCard';

export default function Overview() {
  const { t, i18n } = useTranslation();
  const identity = useApi(() => get<Identity>('/api/v1/me/identity'), []);
  const household = useApi(() => get<Booklet>('/api/v1/me/household'), []);
  return (
    <Page title={t('overview.title')} intro={t('overview.intro')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-h">{t('overview.nextSteps')}</h2>}>
            <Loaded state={identity}>{(id) => <StepsList identity={id} />}</Loaded>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-h">{t('overview.idCard')}</h2>} extra={<Link to="/me/id-card">{t('common.details')}</Link>}>
            <Loaded state={identity}>
              {(id) => (
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('card.holder')}>{id.person.name}</Descriptions.Item>
                  <Descriptions.Item label={t('card.status')}>
                    <CardStatusTag status={id.idCard.status} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t('card.validUntil')}>{id.idCard.current ? (id.idCard.current.validUntil ? formatDate(id.idCard.current.validUntil, i18n.language) : t('card.longTerm')) : '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('permit.title')}>{id.residence.permits[0] ? <Tag>{t(`permit.status.${id.residence.permits[0].status}`)}</Tag> : t('permit.none')}</Descriptions.Item>
                </Descriptions>
              )}
            </Loaded>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<h2 className="card-h">{t('overview.household')}</h2>} extra={<Link to="/me/household">{t('common.details')}</Link>}>
            <Loaded state={household}>
              {(h) => (
                <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                  <Descriptions.Item label={t('household.number')}>{h.householdNumber}</Descriptions.Item>
                  <Descriptions.Item label={t('household.head')}>{h.head?.name ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('household.address')}>{h.address}</Descriptions.Item>
                  <Descriptions.Item label={t('household.members')}>{h.members.length}</Descriptions.Item>
                </Descriptions>
              )}
            </Loaded>
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
