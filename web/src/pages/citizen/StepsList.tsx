import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Identity } from '../../api/types';
import { formatDate } from '../../components/format';
import { nextSteps } from './nextSteps';

export function StepsList({ identity }: { identity: Identity }) {
  const { t, i18n } = useTranslation();
  const steps = nextSteps(identity);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {steps.map((s) => {
        const values = Object.fromEntries(Object.entries(s.values ?? {}).map(([k, v]) => [k, formatDate(v, i18n.language)]));
        return <Alert key={s.key} type={s.tone} showIcon message={t(`${s.key}.title`, values)} description={t(`${s.key}.what`, values)} />;
      })}
    </Space>
  );
}
