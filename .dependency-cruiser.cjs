/**
 * Module boundaries (ARCHITECTURE.md, "Rules of the house"), checked by `npm run lint` and `.ci/run`.
 * A module is a directory directly under src/; src/platform/ is the ground floor and src/app/ the
 * composition roots.
 */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-domain',
      comment: 'platform/ is the ground floor: it imports no domain module and no composition root, not even for types.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'modules-through-index',
      comment:
        "A module reaches another module only through that module's index.ts (tests included), or a sub-module's " +
        '(src/registry/bulk/index.ts: bulk loads write cards and permits too, so the register cannot re-export them).',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+', pathNot: ['^src/$1/', '^src/platform/', '^src/app/', '^src/[^/]+/index\\.ts$', '^src/registry/bulk/index\\.ts$'] },
    },
    {
      name: 'nothing-imports-app',
      comment: 'Composition roots (src/app/) are imported by nothing in src/ but other composition roots and tests (which build the app).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app/', '\\.test\\.ts$'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'queries-import-no-services-or-routes',
      comment: 'Imports point one way: routes/CLI → service → queries → platform.',
      severity: 'error',
      from: { path: '\\.queries\\.ts$' },
      to: { path: '\\.(service|routes|cli|http)\\.ts$' },
    },
    {
      name: 'services-import-no-routes',
      comment: 'A service never sees HTTP or the CLI.',
      severity: 'error',
      from: { path: '\\.service\\.ts$' },
      to: { path: '\\.(routes|cli|http)\\.ts$' },
    },
    {
      name: 'domain-code-imports-no-fastify',
      comment:
        'Only HTTP files (*.routes.ts, *.http.ts, platform/http/, app/, and the two request helpers of access: ' +
        'the X-Purpose header and the session cookies) and tests may import Fastify. Schemas import typebox itself.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['\\.routes\\.ts$', '\\.http\\.ts$', '^src/platform/http/', '^src/app/', '^src/access/(purpose|cookies)\\.ts$', '\\.test\\.ts$'],
      },
      to: { path: '(^|/)node_modules/(fastify|@fastify/[^/]+)/' },
    },
    {
      name: 'tests-reach-modules-through-index',
      comment:
        "Shared test code (test/) reaches a module only through its index.ts; fixtures shared between modules live in test/. " +
        'Benchmarks (bench/) may measure internals and are exempt.',
      severity: 'error',
      from: { path: '^test/' },
      to: { path: '^src/([^/]+)/.+', pathNot: ['^src/platform/', '^src/app/', '^src/[^/]+/index\\.ts$', '^src/registry/bulk/index\\.ts$'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(web/dist|\\.hukou|test/fixtures/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
