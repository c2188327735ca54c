import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../platform/logger.ts';
import type { Db } from '../platform/db/database.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { ErrorBody } from '../platform/http/schemas.ts';
import { installErrorHandling } from '../platform/http/error-handler.ts';
import { ERROR_CATALOGUE } from './error-catalogue.ts';
import { certificateIssuer, composeModules } from './compose.ts';
import { buildEdgeValidator } from '../platform/http/validation.ts';
import { installMetrics } from '../platform/http/metrics.ts';
import { healthRoutes } from '../platform/http/health.routes.ts';
import { loadDivisionIndex, referenceRoutes } from '../reference/index.ts';
import { idNumberRoutes } from '../idnumber/index.ts';
import { accessRoutes, installAccess, type AccessSettings } from '../access/index.ts';
import { AccessLogWriter, auditRoutes, installAccessLog, type CheckpointSigner } from '../audit/index.ts';
import { registryRoutes, transferPurposeResolver } from '../registry/index.ts';
import { idCardPurposeResolver, idCardRoutes } from '../idcards/index.ts';
import { residencePurposeResolver, residenceRoutes } from '../residence/index.ts';
import { workQueueRoutes } from '../workqueue/index.ts';
import { certificateRoutes, verifyPageRoutes } from '../certificates/index.ts';
import { applicationRoutes, type CertificateIssuer } from '../applications/index.ts';
import { guidesRoutes } from './guides.routes.ts';
import { settlementRoutes } from '../settlement/index.ts';
import { webRoutes } from './web.ts';

export interface AppDeps {
  db: Db;
  /** A pino logger, or false for silence (tests). */
  logger: Logger | false;
  clock?: Clock;
  defaultMetrics?: boolean;
  /** Rate limits of logins and personal-data reads (default: from the environment, docs/access.md). */
  accessSettings?: Partial<AccessSettings>;
  /** Ed25519 key that signs access-log checkpoints (`loadSigningKey`); without one no checkpoints are signed. */
  auditSigner?: CheckpointSigner | null;
  /** Append-only file every signed checkpoint is also written to (`<dataDir>/audit-anchor.jsonl`; src/audit/anchor.ts). */
  auditAnchorFile?: string | null;
  /**
   * BENCHMARK ONLY (bench/access-log.bench.ts measures reads with the access log on against off):
   * installs no access-log hook, so personal-data reads leave no trail. Never set by the server or the CLI.
   */
  benchOnlyWithoutAccessLog?: boolean;
  /**
   * Issues household certificates when a certificate application is approved (src/certificates'
   * `issueCertificate`, wired here at the merge of issue #14's certificate part); without one,
   * approving a certificate service is refused with CERTIFICATE_ISSUER_UNAVAILABLE.
   */
  certificateIssuer?: CertificateIssuer | null;
  /** A built web application (`ensureWebBuild`) to serve at `/`; without one `/` is the JSON 404. */
  webRoot?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the HTTP application without listening (tests call `inject()`; `server.ts` listens). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  composeModules();
  const app = Fastify({
    ...(deps.logger === false ? { logger: false } : { loggerInstance: deps.logger as FastifyBaseLogger }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // strict JSON bodies, coerced path/query strings, text/integer/date bounds: platform/http/validation.ts
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    schemaController: { compilersFactory: { buildValidator: buildEdgeValidator } },
    bodyLimit: 1_048_576,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addSchema(ErrorBody);
  installErrorHandling(app, ERROR_CATALOGUE);
  const metrics = installMetrics(app, { defaultMetrics: deps.defaultMetrics ?? false });
  // Before any route: every route not public is authenticated; access-logged routes write their entry.
  const access = installAccess(app, { db: deps.db, clock, ...(deps.accessSettings ? { settings: deps.accessSettings } : {}) });
  const accessLog = new AccessLogWriter(deps.db, { signer: deps.auditSigner ?? null, clock, anchorFile: deps.auditAnchorFile ?? null });
  // Who knows which applications (a purpose `application:<id>` must name one concerning the person read); add a module's resolver here.
  const purposeResolvers = [idCardPurposeResolver, transferPurposeResolver, residencePurposeResolver];
  if (!deps.benchOnlyWithoutAccessLog) installAccessLog(app, { writer: accessLog, clock, db: deps.db, purposeResolvers });
  app.addHook('onClose', async () => accessLog.close());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hukou API',
        version: '1',
        description:
          'National household-registration and population management. Errors share one body: ' +
          '`{"error":{"code","message","details","requestId"}}`; codes are listed in [docs/errors.md](/guides/errors.md). ' +
          'Guides: [register](/guides/register.md), [access](/guides/access.md), [ID cards and residence](/guides/idcards-residence.md), ' +
          '[import format](/guides/import-format.md), [CLI](/guides/cli.md), [all](/guides/).',
      },
      tags: [
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'id-numbers', description: 'Resident ID numbers (GB 11643-1999)' },
        { name: 'reference', description: 'Administrative divisions (GB/T 2260) and code tables' },
        { name: 'register', description: 'Population register: households (户口簿), persons, births, moves, deaths, corrections' },
        { name: 'transfers', description: 'Interprovincial hukou transfer handled at the destination (迁入地一站式办理)' },
        { name: 'auth', description: 'Login (password, then TOTP for officers and administrators), sessions, API tokens' },
        { name: 'accounts', description: 'Account administration: create, list, lock, unlock, reset' },
        { name: 'me', description: "A citizen's own data and who looked at it" },
        { name: 'id-cards', description: 'Resident ID cards handled anywhere (跨省通办): applications, loss reports, card check, identity view' },
        { name: 'queue', description: 'Work queues: what waits for an authority, overdue first' },
        { name: 'residence', description: 'Residence registration (居住登记), residence permits (居住证) and endorsements (签注)' },
        { name: 'certificates', description: 'Electronic household certificates (户籍证明): read, PDF, revoke; public verification, trust list, status list' },
        { name: 'applications', description: 'Online services handled anywhere (跨省通办): the service catalog, applications with working-day deadlines, materials, queues' },
        { name: 'settlement', description: 'Settlement (落户) by city size: explained eligibility, department facts, reviews, annual rounds, policy simulation' },
      ],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token of an account (`hk_…`, POST /api/v1/auth/tokens); browsers use the session cookie from POST /api/v1/auth/login instead' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(guidesRoutes);

  const divisions = loadDivisionIndex();
  await app.register(healthRoutes, { db: deps.db, metrics });
  await app.register(verifyPageRoutes, { db: deps.db, clock });
  await app.register(
    async (api) => {
      await api.register(idNumberRoutes, { divisions, clock });
      await api.register(referenceRoutes, { db: deps.db, clock });
      await api.register(registryRoutes, { db: deps.db, clock });
      await api.register(accessRoutes, { access });
      await api.register(auditRoutes, { db: deps.db, clock });
      await api.register(idCardRoutes, { db: deps.db, clock });
      await api.register(residenceRoutes, { db: deps.db, clock });
      await api.register(certificateRoutes, { db: deps.db, clock });
      await api.register(applicationRoutes, { db: deps.db, clock, certificateIssuer: deps.certificateIssuer ?? certificateIssuer });
      await api.register(workQueueRoutes, { db: deps.db, clock });
      await api.register(settlementRoutes, { db: deps.db, clock });
    },
    { prefix: '/api/v1' },
  );
  if (deps.webRoot) await app.register(webRoutes, { root: deps.webRoot });
  return app;
}
