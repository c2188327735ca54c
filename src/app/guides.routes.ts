import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { repoPath } from '../platform/paths.ts';

/** Where the written guides (docs/*.md) are served, linked from the API description on /docs. */
export const GUIDES_PREFIX = '/guides';

const GUIDE_NAME = /^[a-z0-9][a-z0-9-]*\.md$/;

/** The guides in docs/ (read once at start: the files ship with the code). */
function loadGuides(): Map<string, string> {
  const dir = repoPath('docs');
  return new Map(readdirSync(dir).filter((f) => GUIDE_NAME.test(f)).map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')]));
}

/**
 * `GET /guides/` lists docs/*.md and `GET /guides/<name>.md` returns one as Markdown text, so the
 * error catalogue (docs/errors.md) and the domain guides the API description names are one click
 * from the /docs page instead of a 404. Nothing personal: no authentication.
 */
export async function guidesRoutes(app: FastifyInstance): Promise<void> {
  const guides = loadGuides();
  app.get(`${GUIDES_PREFIX}/`, { schema: { hide: true } }, async (_request, reply) => {
    const links = [...guides.keys()].sort().map((f) => `<li><a href="${GUIDES_PREFIX}/${f}">${f}</a></li>`);
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><meta charset="utf-8"><title>hukou guides</title><h1>hukou guides</h1><ul>${links.join('')}</ul><p><a href="/docs">API reference</a></p>`);
  });
  app.get<{ Params: { name: string } }>(`${GUIDES_PREFIX}/:name`, { schema: { hide: true } }, async (request, reply) => {
    const text = guides.get(request.params.name);
    if (text === undefined) throw new AppError('NOT_FOUND', `No guide ${request.params.name}; the list is at ${GUIDES_PREFIX}/.`);
    return reply.type('text/markdown; charset=utf-8').send(text);
  });
}
