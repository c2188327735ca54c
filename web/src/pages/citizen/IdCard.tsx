import { useRef, useState } from 'react';
import { App, Button, Card, Descriptions, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, newIdempotencyKey, post } from '../../api/client';
import type { Identity } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDate } from '../../components/format';
import { Loaded, Page } from '../../components/Page';
import { useApi } from '../../components/useApi';
import { StepsList } from './StepsList';

const STATUS_COLOUR: Record<string, string> = { valid: 'green', reported_lost: 'red', expired: 'orange', superseded: 'default', cancelled: 'default', none: 'default' };

export function CardStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOUR[status] ?? 'default'}>{t(`card.statuses.${status}`)}</Tag>;
}

/** My ID card and residence permit: status, dates, what to do next; report the card lost. */
export default function IdCard() {
  const { t, i18n } = useTranslation();
  const state = useApi(() => get<Identity>('/api/v1/me/identity'), []);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const { message } = App.useApp();
  const lang = i18n.language;

  async function reportLost() {
    setBusy(true);
    setError(null);
    key.current ??= newIdempotencyKey();
    try {
      await post('/api/v1/me/id-card/loss-report', { idempotencyKey: key.current });
      key.current = null;
      setConfirming(false);
      void message.success(t('card.lostDone'));
      state.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('card.title')} intro={t('card.intro')}>
      <Loaded state={state}>
        {(id) => {
          const c = id.idCard.current;
          const permit = id.residence.permits.find((p) => p.status !== 'rejected' && p.status !== 'cancelled') ?? id.residence.permits[0];
          const registration = id.residence.registrations.find((r) => !r.endedOn);
          return (
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <StepsList identity={id} />
              <Card title={<h2 className="card-h">{t('card.resident')}</h2>}>
                {c ? (
                  <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                    <Descriptions.Item label={t('card.status')}>
                      <CardStatusTag status={c.status} />
                    </Descriptions.Item>
                    <Descriptions.Item label={t('card.kind')}>{t(`card.kinds.${c.kind}`)}</Descriptions.Item>
                    <Descriptions.Item label={t('card.validFrom')}>{formatDate(c.validFrom, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('card.validUntil')}>{c.validUntil ? formatDate(c.validUntil, lang) : t('card.longTerm')}</Descriptions.Item>
                    <Descriptions.Item label={t('card.renewalOpens')}>{id.idCard.renewalOpensOn ? formatDate(id.idCard.renewalOpensOn, lang) : '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('card.delivered')}>{c.deliveredOn ? formatDate(c.deliveredOn, lang) : t('card.notDelivered')}</Descriptions.Item>
                  </Descriptions>
                ) : (
                  <Typography.Paragraph>{t('card.noneYet')}</Typography.Paragraph>
                )}
                {c?.status === 'valid' && c.deliveredOn && (
                  <Button danger onClick={() => setConfirming(true)}>
                    {t('card.reportLost')}
                  </Button>
                )}
              </Card>
              {id.idCard.applications.length > 0 && (
                <Card title={<h2 className="card-h">{t('card.applications')}</h2>}>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    scroll={{ x: true }}
                    dataSource={id.idCard.applications}
                    columns={[
                      { title: t('card.appliedOn'), dataIndex: 'appliedOn', render: (v: string) => formatDate(v, lang) },
                      { title: t('card.applicationKind'), dataIndex: 'kind', render: (v: string) => t(`idcards.kinds.${v}`) },
                      { title: t('card.state'), dataIndex: 'state', render: (v: string, a) => <Tag color={a.overdue ? 'red' : undefined}>{t(`idcards.states.${v}`)}</Tag> },
                      { title: t('card.dueOn'), dataIndex: 'dueOn', render: (v: string) => formatDate(v, lang) },
                    ]}
                  />
                </Card>
              )}
              <Card title={<h2 className="card-h">{t('permit.title')}</h2>}>
                {permit ? (
                  <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                    <Descriptions.Item label={t('card.status')}>
                      <Tag>{t(`permit.status.${permit.status}`)}</Tag>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('permit.issuedOn')}>{formatDate(permit.issuedOn, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('permit.endorsement')}>{t(`permit.endorsementStatus.${permit.endorsement.status}`)}</Descriptions.Item>
                    <Descriptions.Item label={t('permit.windowOpens')}>{formatDate(permit.endorsement.windowOpensOn, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('permit.lastOnTime')}>{formatDate(permit.endorsement.lastOnTimeDay, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('permit.address')}>{registration?.address ?? '—'}</Descriptions.Item>
                  </Descriptions>
                ) : (
                  <Typography.Paragraph>{registration ? t('permit.registeredNoPermit', { address: registration.address }) : t('permit.noneHelp')}</Typography.Paragraph>
                )}
              </Card>
              <Modal
                open={confirming}
                title={t('card.reportLostTitle')}
                okText={t('card.reportLostConfirm')}
                okButtonProps={{ danger: true, loading: busy }}
                cancelText={t('common.cancel')}
                onOk={() => void reportLost()}
                onCancel={() => setConfirming(false)}
              >
                <Typography.Paragraph>{t('card.reportLostWarning')}</Typography.Paragraph>
                {error ? <ApiErrorAlert error={error} /> : null}
              </Modal>
            </Space>
          );
        }}
      </Loaded>
    </Page>
  );
}
