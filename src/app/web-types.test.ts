import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedWebTypes } from '../../scripts/web-types.ts';

describe('the web app’s API types', () => {
  it('are generated from the current OpenAPI document (run `npm run web:types` after changing a route)', async () => {
    for (const [file, text] of Object.entries(await generatedWebTypes())) {
      expect(readFileSync(file, 'utf8') === text, `${file} is stale: run npm run web:types`).toBe(true);
    }
  });
});
