/**
 * The OpenAPI 3.1 document, generated from the route contracts (zod-openapi renders the zod schemas as
 * JSON Schema 2020-12). Nothing here is written by hand except the document's introduction.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ErrorBody } from './common.ts';
import type { Contract } from './define.ts';
import { allContracts } from './index.ts';

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

function operationId(contract: Contract): string {
  const words = contract.path
    .replace(/^\/api\//, '')
    .replace(/\.(\w+)$/, '-$1')
    .split(/[/{}._-]+/)
    .filter(Boolean);
  return contract.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function accessText(contract: Contract): string {
  if (contract.access === 'public') return 'Open to everyone.';
  const csrf = WRITE_METHODS.has(contract.method) ? ', and the X-CSRF-Token header' : '';
  if (contract.access === 'signedIn') return `Needs a session (cookie pa_session)${csrf}.`;
  return `Needs a session${csrf}, and a role with the permission "${contract.access}" (see GET /api/permissions), in the record's zone where it has one.`;
}

function operation(contract: Contract): ZodOpenApiOperationObject {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(contract.responses)) {
    const type = spec.contentType ?? 'application/json';
    responses[status] = spec.schema
      ? { description: spec.description, content: { [type]: { schema: spec.schema } } }
      : Number(status) === 204 || Number(status) === 304
        ? { description: spec.description }
        : { description: spec.description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } };
  }
  for (const status of contract.errors) responses[String(status)] = { $ref: '#/components/responses/Error' };
  const security = contract.access === 'public' ? [] : WRITE_METHODS.has(contract.method) ? [{ session: [], csrf: [] }] : [{ session: [] }];
  return {
    operationId: operationId(contract),
    summary: contract.summary,
    description: [contract.description, accessText(contract)].filter(Boolean).join('\n\n'),
    tags: contract.tags,
    security,
    ...(contract.params || contract.query
      ? { requestParams: { ...(contract.params ? { path: contract.params } : {}), ...(contract.query ? { query: contract.query as never } : {}) } }
      : {}),
    ...(contract.body ? { requestBody: { required: true, content: { [contract.bodyContentType ?? 'application/json']: { schema: contract.body } } } } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

function build() {
  const paths: ZodOpenApiPathsObject = {};
  for (const contract of allContracts) {
    paths[contract.path] ??= {};
    (paths[contract.path] as Record<string, ZodOpenApiOperationObject>)[contract.method] = operation(contract);
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Park Atlas 园区一张图 API',
        version: '1.0.0',
        description:
          'Development zones, their parcels and projects, land use, 亩均, 三个一批, 招商. Geometry in WGS84 (EPSG:4326); areas in m² (ellipsoidal), money in 万元. ' +
          'Errors are JSON in one shape: {"error": {"code", "message", "details"?, "requestId"}}; the message is English, Chinese is in details.message_zh or details.fields[].message_zh. ' +
          'Everything except health, config, this document, signing in and the public catalogue needs a session (cookie pa_session); writes also need the X-CSRF-Token header. ' +
          'Generated from the route contracts (server/contract/*.ts).',
      },
      servers: [{ url: '/', description: 'This server' }],
      paths,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pa_session', description: 'Set by POST /api/auth/login' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description: 'Returned by POST /api/auth/login and GET /api/auth/me; needed on every write',
          },
        },
        responses: {
          Error: {
            description: 'A JSON error a person can read (English message; Chinese in details where given)',
            content: { 'application/json': { schema: ErrorBody } },
          },
        },
      },
    },
    { allowEmptySchema: { custom: true } } as never,
  );
}

let cached: ReturnType<typeof createDocument> | undefined;
/** Built once, on first request. */
export function openApiDocument() {
  cached ??= build();
  return cached;
}
