import { useEffect, useState, type ReactNode } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Typography } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isOfficer, useSession } from '../auth/AuthContext';
import type { RouteModule } from '../modules/registry';
import { LanguageSwitch } from './LanguageSwitch';

/** Header (title, language, who is signed in), navigation (side menu; a drawer on phones), main landmark. */
export function Shell({ modules, children }: { modules: RouteModule[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { whoami, role, logOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const officer = isOfficer(role);
  const items = modules.filter((m) => m.nav).map((m) => ({ key: m.path, label: t(m.nav!) }));
  const selected = [...modules].sort((a, b) => b.path.length - a.path.length).find((m) => location.pathname === m.path || location.pathname.startsWith(`${m.path}/`));

  useEffect(() => {
    const page = selected?.nav ? t(selected.nav) : '';
    document.title = `${page ? `${page} · ` : ''}${t(officer ? 'shell.officerTitle' : 'shell.citizenTitle')}`;
  }, [selected, officer, t]);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected.path] : []}
      items={items}
      onClick={({ key }) => {
        setDrawer(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <Layout.Header className="app-header">
        {narrow && <Button type="text" aria-label={t('shell.openMenu')} icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={() => setDrawer(true)} />}
        <p className="brand">{t(officer ? 'shell.officerTitle' : 'shell.citizenTitle')}</p>
        <LanguageSwitch dark />
        {!narrow && (
          <Typography.Text style={{ color: '#fff' }}>
            {whoami?.account?.displayName} · {whoami?.account?.authorityName}
          </Typography.Text>
        )}
        <Button size="small" onClick={() => void logOut()}>
          {t('shell.signOut')}
        </Button>
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" title={t('shell.menu')} size={280}>
            <nav aria-label={t('shell.navigation')}>{menu}</nav>
            <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
              {whoami?.account?.displayName} · {whoami?.account?.authorityName}
            </Typography.Paragraph>
          </Drawer>
        ) : (
          <Layout.Sider width={220} theme="light">
            <nav aria-label={t('shell.navigation')}>{menu}</nav>
          </Layout.Sider>
        )}
        <Layout.Content>
          <main id="main" tabIndex={-1} className="app-main">
            {children}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
