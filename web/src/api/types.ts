import type { paths } from './schema';

type Method = 'get' | 'post' | 'delete';

/** The JSON a path answers with `status` (default the first 2xx), from the generated OpenAPI types. */
export type ResponseOf<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

/** The JSON body a path takes. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? NonNullable<B>
  : never;

export type WhoAmI = ResponseOf<'/api/v1/auth/whoami', 'get'>;
export type Login = ResponseOf<'/api/v1/auth/login', 'post'>;
export type Booklet = ResponseOf<'/api/v1/me/household', 'get'>;
export type Identity = ResponseOf<'/api/v1/me/identity', 'get'>;
export type Trail = ResponseOf<'/api/v1/me/access-log', 'get'>;
export type PersonView = ResponseOf<'/api/v1/persons/{idNumber}', 'get'>;
export type Application = ResponseOf<'/api/v1/id-card-applications/{id}', 'get'>;
export type Queue = ResponseOf<'/api/v1/id-card-applications', 'get'>;
export type CodeTable = ResponseOf<'/api/v1/codes/{table}', 'get'>;
export type Role = NonNullable<WhoAmI['account']>['role'];
