import type { ReactNode } from 'react';
import { Skeleton, Typography } from 'antd';
import { ApiErrorAlert } from './ApiErrorAlert';

export function Page({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby="page-title">
      <Typography.Title level={1} id="page-title" className="page-title" style={{ fontSize: 24 }}>
        {title}
      </Typography.Title>
      {intro && <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
      {children}
    </section>
  );
}

/** The usual three states of a loaded block. */
export function Loaded<T>({ state, children }: { state: { data: T | null; error: unknown; loading: boolean; reload: () => void }; children: (data: T) => ReactNode }) {
  if (state.loading) return <Skeleton active />;
  if (state.error) return <ApiErrorAlert error={state.error} onRetry={state.reload} />;
  return <>{state.data !== null ? children(state.data) : null}</>;
}
