import { useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { useSession } from './AuthContext';

/** Sign in: password, then the 6-digit code when the account has a second factor; a forced password change in between. */
export function LoginPage() {
  const { t } = useTranslation();
  const { logIn, verifyTotp, refresh } = useSession();
  const [step, setStep] = useState<'password' | 'totp' | 'change'>('password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState('');

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const next = (state: string) => setStep(state === 'second_factor_required' ? 'totp' : state === 'password_change_required' ? 'change' : 'password');

  return (
    <main id="main" style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12, boxSizing: 'border-box' }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 8 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {error ? <ApiErrorAlert error={error} /> : null}
        {step === 'password' && (
          <Form layout="vertical" onFinish={(v: { username: string; password: string }) => run(async () => { setCurrent(v.password); next(await logIn(v.username.trim(), v.password)); })} requiredMark={false}>
            <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
        )}
        {step === 'totp' && (
          <Form layout="vertical" onFinish={(v: { code: string }) => run(async () => next(await verifyTotp(v.code)))} requiredMark={false}>
            <Typography.Paragraph>{t('login.totpIntro')}</Typography.Paragraph>
            <Form.Item label={t('login.totp')} name="code" extra={t('login.totpHelp')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.totpInvalid') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.verify')}
            </Button>
          </Form>
        )}
        {step === 'change' && (
          <Form layout="vertical" onFinish={(v: { newPassword: string }) => run(async () => { await post('/api/v1/auth/password', { currentPassword: current, newPassword: v.newPassword }, { noReauth: true }); await refresh(); })}>
            <Typography.Paragraph>{t('login.changeIntro')}</Typography.Paragraph>
            <Form.Item label={t('login.newPassword')} name="newPassword" rules={[{ required: true, min: 12, message: t('login.newPasswordRule') }]}>
              <Input.Password autoComplete="new-password" autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.change')}
            </Button>
          </Form>
        )}
      </Card>
    </main>
  );
}
