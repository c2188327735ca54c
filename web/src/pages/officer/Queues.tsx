import { useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, newIdempotencyKey, post } from '../../api/client';
import type { Application, Queue } from '../../api/types';
import { useSession } from '../../auth/AuthContext';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatDate, maskId } from '../../components/format';
import { Loaded, Page } from '../../components/Page';
import { useApi } from '../../components/useApi';

/** The authority's work lists: ID card applications to confirm here (hukou place) and cards to hand over here; overdue first. */
export default function Queues() {
  const { t } = useTranslation();
  const { role } = useSession();
  const decides = role === 'registration_officer' || role === 'supervisor';
  return (
    <Page title={t('queues.title')} intro={t('queues.intro')}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {decides && <QueueTable queue="confirm" action="confirm" />}
        <QueueTable queue="deliver" action="deliver" />
      </Space>
    </Page>
  );
}

function QueueTable({ queue, action }: { queue: 'confirm' | 'deliver'; action: 'confirm' | 'deliver' }) {
  const { t, i18n } = useTranslation();
  const state = useApi(() => get<Queue>(`/api/v1/id-card-applications?queue=${queue}&limit=100`), [queue]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  async function act(a: Application) {
    setBusy(a.id);
    setError(null);
    try {
      await post(`/api/v1/id-card-applications/${a.id}/${action}`, { idempotencyKey: newIdempotencyKey() });
      state.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Card title={<h2 className="card-h">{t(`queues.${queue}`)}</h2>} extra={<Button onClick={state.reload}>{t('common.refresh')}</Button>}>
      <Typography.Paragraph type="secondary">{t(`queues.${queue}Help`)}</Typography.Paragraph>
      {error ? <ApiErrorAlert error={error} /> : null}
      <Loaded state={state}>
        {(q) => {
          const rows = [...q.applications].sort((a, b) => Number(b.overdue) - Number(a.overdue));
          return (
            <Table
              size="small"
              rowKey="id"
              scroll={{ x: true }}
              pagination={{ pageSize: 20 }}
              dataSource={rows}
              locale={{ emptyText: t('queues.empty') }}
              columns={[
                { title: t('queues.name'), dataIndex: 'name' },
                { title: t('person.idNumber'), dataIndex: 'idNumber', render: (v: string) => maskId(v) },
                { title: t('card.applicationKind'), dataIndex: 'kind', render: (v: string) => t(`idcards.kinds.${v}`) },
                { title: t('idcards.scope'), dataIndex: 'scope', render: (v: string) => t(`idcards.scopes.${v}`) },
                { title: t('card.dueOn'), dataIndex: 'dueOn', render: (v: string, a) => (a.overdue ? <Tag color="red">{t('queues.overdue', { date: formatDate(v, i18n.language) })}</Tag> : formatDate(v, i18n.language)) },
                {
                  title: t('queues.action'),
                  key: 'act',
                  render: (_v, a) => (
                    <Button size="small" type="primary" loading={busy === a.id} onClick={() => void act(a)} aria-label={`${t(`idcards.decide.${action}`)} ${a.name}`}>
                      {t(`idcards.decide.${action}`)}
                    </Button>
                  ),
                },
              ]}
            />
          );
        }}
      </Loaded>
    </Card>
  );
}
