import pg from 'pg';
import type { Logger } from '../logger.ts';

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` on a connection of its own and calls `onNotify` for every notification. The
 * connection is re-opened after a failure (backoff up to 5 s); `onNotify` is also called on every
 * (re)connect, since notifications sent while it was down are lost.
 */
export function listenTo(url: string, channel: string, onNotify: () => void, logger?: Logger): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 100;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: `hukou listen ${channel}` });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify();
    });
    c.on('error', (e) => {
      logger?.warn({ err: e.message, channel }, 'notification listener lost its connection; reconnecting');
      retry(c);
    });
    try {
      await c.connect();
      await c.query(`listen ${c.escapeIdentifier(channel)}`);
      if (closed) return void c.end().catch(() => {});
      client = c;
      retryMs = 100;
      onNotify();
    } catch (e) {
      logger?.warn({ err: (e as Error).message, channel }, 'notification listener could not connect; retrying');
      retry(c);
    }
  };
  const retry = (c: pg.Client) => {
    if (client === c) client = null;
    c.end().catch(() => {});
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(5000, retryMs * 2);
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
