import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n/i18n';

export function LanguageSwitch({ dark }: { dark?: boolean }) {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      aria-label={t('shell.language')}
      value={i18n.language === 'en' ? 'en' : 'zh'}
      onChange={(v) => setLanguage(v as 'zh' | 'en')}
      options={[
        { label: <span lang="zh-CN">中文</span>, value: 'zh' },
        { label: <span lang="en">English</span>, value: 'en' },
      ]}
      style={dark ? { background: 'rgba(255,255,255,0.9)' } : undefined}
    />
  );
}
