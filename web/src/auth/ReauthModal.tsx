import { useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post, setCsrfToken, type ReauthReason } from '../api/client';
import type { Login } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';

/**
 * Signs the same account in again over the current page: whatever the user had typed stays in
 * its form underneath, and the call that failed is retried when this resolves.
 */
export function ReauthModal(props: { reason: ReauthReason; username: string; secondFactor: boolean; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'password' | 'totp'>(props.reason === 'SECOND_FACTOR_REQUIRED' ? 'totp' : 'password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  async function submit(values: { password?: string; code?: string }) {
    setBusy(true);
    setError(null);
    try {
      const res =
        step === 'password'
          ? await post<Login>('/api/v1/auth/login', { username: props.username, password: values.password }, { noReauth: true })
          : await post<Login>('/api/v1/auth/totp', { code: values.code }, { noReauth: true });
      setCsrfToken(res.csrfToken);
      if (res.state === 'second_factor_required') {
        setStep('totp');
        form.resetFields();
      } else props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t('reauth.title')}
      okText={t('reauth.continue')}
      cancelText={t('reauth.signOut')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={props.onCancel}
      maskClosable={false}
      destroyOnHidden
    >
      <Typography.Paragraph>{t(props.reason === 'SECOND_FACTOR_REQUIRED' ? 'reauth.secondFactor' : 'reauth.expired')}</Typography.Paragraph>
      <Alert type="info" showIcon message={t('reauth.formKept')} style={{ marginBottom: 16 }} />
      {error ? <ApiErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        {step === 'password' ? (
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
        ) : (
          <Form.Item label={t('login.totp')} name="code" extra={t('login.totpHelp')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.totpInvalid') }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
