import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { DivisionIndex } from '../reference/index.ts';
import { checkIdNumber } from './validate.ts';
import { IdCheckResultSchema } from './idnumber.schemas.ts';

export const idNumberRoutes: FastifyPluginAsyncTypebox<{ divisions: DivisionIndex; clock: Clock }> = async (app, { divisions, clock }) => {
  app.get(
    '/id-numbers/:number',
    {
      schema: {
        tags: ['id-numbers'],
        summary: 'Check a resident ID number (GB 11643-1999)',
        description:
          'Validates format, birth date (real calendar, not in the future), MOD 11-2 check digit and the address code ' +
          'against the divisions that existed between the birth date and today. Always 200: the body says whether it is valid and why not.',
        params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: IdCheckResultSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const result = checkIdNumber(request.params.number, { divisions, today: clock.now() });
      // one vocabulary (docs/api-conventions.md): the sex code, its name beside it
      const sex = result.sex === 'male' ? ('1' as const) : result.sex === 'female' ? ('2' as const) : null;
      return { ...result, sex, sexName: sex === '1' ? ('男' as const) : sex === '2' ? ('女' as const) : null };
    },
  );
};
