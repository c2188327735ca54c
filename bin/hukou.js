#!/usr/bin/env node
// Entry point for `npx hukou` / `npm start`: runs the TypeScript CLI through tsx's ESM loader,
// so a checkout works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
