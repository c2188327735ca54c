import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

interface FieldIssue {
  field?: string;
  message?: string;
}

/**
 * An API error in words a citizen understands, with what to do next (the zh/en catalogue in
 * i18n/errors.*.ts, one entry per code of docs/errors.md); the server's own sentence and the request
 * reference are kept underneath for the counter or the help desk.
 */
export function ApiErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const e = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error), null, null);
  const known = i18n.exists(`errors.${e.code}.title`);
  const key = known ? e.code : e.status >= 500 || e.code === 'INTERNAL' ? 'INTERNAL' : 'UNKNOWN';
  const issues = Array.isArray(e.details) ? (e.details as FieldIssue[]).filter((d) => d && typeof d.field === 'string') : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      message={t(`errors.${key}.title`)}
      description={
        <div>
          <p style={{ margin: '4px 0' }}>
            <strong>{t('errors.next')}</strong> {t(`errors.${key}.next`)}
          </p>
          {issues.length > 0 && (
            <ul style={{ margin: '4px 0' }}>
              {issues.map((d, i) => (
                <li key={i}>
                  {d.field?.replace(/^body\./, '')}: {d.message}
                </li>
              ))}
            </ul>
          )}
          <details>
            <summary>{t('errors.technical')}</summary>
            <p style={{ margin: '4px 0' }}>
              {e.code}: {e.message}
            </p>
            {e.requestId && <p style={{ margin: 0 }}>{t('errors.reference', { id: e.requestId })}</p>}
          </details>
          {onRetry && (
            <button type="button" className="link-button" onClick={onRetry}>
              {t('common.retry')}
            </button>
          )}
        </div>
      }
    />
  );
}
