import { z } from 'zod';
import { ERROR_CATALOGUE, ERROR_CODES, ErrorCode } from '../errors/error-codes';
import { ERROR_DESCRIPTIONS } from './error-descriptions';

/** A JSON Schema or OpenAPI object, as plain JSON. */
export type Json = { [key: string]: unknown };

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as its input is accepted. */
export function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Json;
  return rest;
}

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/**
 * A zod object's fields as OpenAPI query parameters. A field that takes one value or a list
 * is described as a list: repeat the parameter (`?a=1&a=2`).
 */
export function queryParameters(schema: z.ZodObject): Json[] {
  const described = jsonSchema(schema) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(described.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    const list = (rest.anyOf as Json[] | undefined)?.find((s) => s.type === 'array');
    return {
      name,
      in: 'query',
      required: described.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      ...(list ? { schema: list, style: 'form', explode: true } : { schema: rest }),
    };
  });
}

const RETRY_AFTER: Json = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer', minimum: 1 },
};
const WITH_RETRY_AFTER: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
]);

/** The error answers of a route, one per status, each naming the codes it can carry. */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES.filter((c) => codes.includes(c))) {
    const status = ERROR_CATALOGUE[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retry = list.some((c) => WITH_RETRY_AFTER.has(c));
    responses[String(status)] = {
      description:
        list.length === 1
          ? `\`${list[0]}\`: ${ERROR_DESCRIPTIONS[list[0]]}`
          : `One of ${list.map((c) => `\`${c}\``).join(', ')} (see the ErrorCode schema).`,
      ...(retry ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      content: {
        'application/json': {
          schema: { allOf: [ref('Error'), { type: 'object', properties: { code: { enum: list } } }] },
        },
      },
    };
  }
  return responses;
}

/** Every error code with its status and meaning, as the `ErrorCode` schema. */
export function errorCodeSchema(): Json {
  return {
    description: 'The stable error codes, with their HTTP status.',
    oneOf: ERROR_CODES.map((code) => ({
      const: code,
      description: `${ERROR_CATALOGUE[code].status}: ${ERROR_DESCRIPTIONS[code]}`,
    })),
  };
}

export const NO_STORE: Json = {
  'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string', const: 'no-store' } },
};

/** A JSON answer with a schema from the components. */
export function jsonAnswer(description: string, schema: string, headers?: Json): Json {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ref(schema) } } };
}

/** A JSON request body with a schema from the components. */
export function jsonBody(schema: string): Json {
  return { required: true, content: { 'application/json': { schema: ref(schema) } } };
}
