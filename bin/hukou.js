#!/usr/bin/env node
// Entry point for `npx hukou` / `npm start`: runs the TypeScript CLI through tsx's ESM loader,
// so a checkout works without a build step.
import { register } from 'tsx/esm/api';

register();
// Called, not run on import: through `npx hukou` this file is reached by a symlink
// (node_modules/.bin/hukou), so the CLI module cannot tell from process.argv that it is the entry.
const { runCli } = await import('../src/app/cli.ts');
runCli();
