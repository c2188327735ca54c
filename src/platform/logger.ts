import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (pino). Secrets never reach a log: authorization headers are redacted. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'hukou' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
    serializers: { req: requestForLog },
  };
  return destination ? pino(options, destination) : pino(options);
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  routeOptions?: { url?: string };
}

/**
 * What a request log line says about the request (issue #11): the route template
 * (`/api/v1/persons/:idNumber`), never the URL as sent, which carries ID numbers, household numbers
 * and searched names; query parameters by name with their values masked. An unmatched URL has every
 * segment that is not a plain lowercase word masked.
 */
export function requestForLog(req: LoggedRequest): Record<string, unknown> {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query: Record<string, string> = {};
  if (q !== -1) {
    for (const key of new URLSearchParams(url.slice(q + 1)).keys()) query[maskSegment(key)] = '***';
  }
  return {
    method: req.method,
    route: req.routeOptions?.url ?? path.split('/').map(maskSegment).join('/'),
    ...(q === -1 ? {} : { query }),
    remoteAddress: req.ip,
  };
}

function maskSegment(segment: string): string {
  return segment === '' || /^[a-z][a-z-]{0,39}$/.test(segment) ? segment : '*';
}
