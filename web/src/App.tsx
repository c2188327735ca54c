import { Suspense } from 'react';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthProvider, isOfficer, useSession } from './auth/AuthContext';
import { LoginPage } from './auth/LoginPage';
import { Shell } from './layout/Shell';
import { modulesFor } from './modules/registry';
import { PurposeProvider } from './components/officer';

// Colours chosen for WCAG 2.2 AA contrast (4.5:1 on white for text and links).
const theme = { token: { colorPrimary: '#0b57d0', colorPrimaryHover: '#0842a0', colorPrimaryActive: '#062e70', colorLink: '#0b57d0', colorLinkHover: '#0842a0', colorTextDescription: 'rgba(0,0,0,0.65)', colorTextTertiary: 'rgba(0,0,0,0.6)', colorError: '#c41d1d', colorSuccess: '#237804', borderRadius: 6 } };

function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" style={{ padding: 48, textAlign: 'center' }}>
      <Spin /> <span style={{ marginLeft: 8 }}>{t('common.loading')}</span>
    </div>
  );
}

function Routed() {
  const { whoami, loading, role } = useSession();
  const { t } = useTranslation();
  if (loading) return <Loading />;
  if (!whoami) {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  const officer = isOfficer(role);
  const modules = modulesFor(role, officer);
  const home = modules[0]?.path;
  return (
    <PurposeProvider>
    <Shell modules={modules}>
      <Suspense fallback={<Loading />}>
        <Routes>
          {modules.map((m) => {
            const Page = m.page!;
            return <Route key={m.path} path={m.path} element={<Page />} />;
          })}
          <Route path="/" element={home ? <Navigate to={home} replace /> : <Result status="info" title={t('shell.noPages')} subTitle={t('shell.noPagesHelp')} />} />
          <Route path="*" element={<Result status="404" title={t('shell.notFound')} subTitle={t('shell.notFoundHelp')} />} />
        </Routes>
      </Suspense>
    </Shell>
    </PurposeProvider>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <AuthProvider>
          <Routed />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
