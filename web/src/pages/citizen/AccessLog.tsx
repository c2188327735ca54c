import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Trail } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { Loaded, Page } from '../../components/Page';
import { useApi } from '../../components/useApi';

type Item = Trail['items'][number];

/** "Who looked at my data", one sentence per entry: who (authority, role), what, why, and what they saw. */
export function describe(item: Item, t: (k: string, o?: Record<string, unknown>) => string, language = 'zh'): string {
  const words = (w: { zh: string; en: string }) => (language === 'en' ? w.en : w.zh);
  const who = item.authority ?? t('trail.system');
  const role = item.byYou ? t('trail.you', { defaultValue: language === 'en' ? 'you' : '您本人' }) : item.role ? words(item.role) : t('trail.system');
  const action = t(`trail.actions.${item.action}`, { defaultValue: words(item.actionWords) });
  if (item.kind === 'registration_event') return t('trail.event', { who, action });
  if (item.kind === 'card_check') return t('trail.cardCheck', { who, outcome: t(`trail.outcomes.${item.outcome}`, { defaultValue: item.outcome }) });
  return t('trail.access', { who, role, action });
}

export default function AccessLog() {
  const { t, i18n } = useTranslation();
  const state = useApi(() => get<Trail>('/api/v1/me/access-log?limit=200'), []);
  return (
    <Page title={t('trail.title')} intro={t('trail.intro')}>
      <Loaded state={state}>
        {(trail) => (
          <List
            bordered
            dataSource={trail.items}
            locale={{ emptyText: t('trail.empty') }}
            renderItem={(item) => (
              <List.Item>
                <div style={{ width: '100%', minWidth: 0, overflowWrap: 'anywhere' }}>
                  <Typography.Text strong>{describe(item, t, i18n.language)}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">{formatDateTime(item.at, i18n.language)}</Typography.Text>
                    {item.purpose && <Tag style={{ marginLeft: 8, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{t('trail.purpose', { purpose: item.purpose })}</Tag>}
                    {item.outcome !== 'returned' && item.outcome !== 'recorded' && <Tag color="orange" style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{t('trail.refused', { code: item.outcome })}</Tag>}
                  </div>
                  {item.fields.length > 0 && (
                    <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                      {t('trail.fields', { fields: item.fields.map((f) => (i18n.language === 'en' ? f.en : f.zh)).join(i18n.language === 'en' ? ', ' : '、') })}
                    </Typography.Paragraph>
                  )}
                  {item.legalBasis && (
                    <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                      {t('trail.basis', { basis: item.legalBasis })}
                    </Typography.Paragraph>
                  )}
                </div>
              </List.Item>
            )}
          />
        )}
      </Loaded>
    </Page>
  );
}
