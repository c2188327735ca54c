import { useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Form, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../api/client';
import { ApiErrorAlert } from './ApiErrorAlert';

/**
 * A guided form for one write: validation as you type, one idempotency key per attempt kept across
 * retries (a re-sent request after a timeout or a re-login is not done twice), the API's refusal in
 * words with what to do, and the result shown once done. The values stay in the form on any error.
 */
export function OpForm<V extends object, R>(props: {
  submitLabel: string;
  submit: (values: V, idempotencyKey: string) => Promise<R>;
  done?: (result: R) => ReactNode;
  children: ReactNode;
  form?: FormInstance<V>;
  initialValues?: Partial<V>;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ value: R } | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const [own] = Form.useForm<V>();
  const form = props.form ?? own;

  async function onFinish(values: V) {
    setBusy(true);
    setError(null);
    key.current ??= newIdempotencyKey();
    try {
      const value = await props.submit(values, key.current);
      key.current = null;
      setResult({ value });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" validateTrigger={['onChange', 'onBlur']} onFinish={onFinish} initialValues={props.initialValues} onValuesChange={() => result && setResult(null)} scrollToFirstError>
      {props.children}
      {error ? <ApiErrorAlert error={error} /> : null}
      {result && (
        <Alert type="success" showIcon role="status" style={{ marginBottom: 16 }} message={t('form.done')} description={props.done ? props.done(result.value) : null} />
      )}
      <Button type="primary" danger={props.danger} htmlType="submit" loading={busy}>
        {props.submitLabel}
      </Button>
    </Form>
  );
}
