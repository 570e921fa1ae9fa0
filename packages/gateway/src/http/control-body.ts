/** The JSON object a control API request posts (none at all reads as `{}`); the control API's error handler answers what this throws with 400. */
import type { FastifyRequest } from 'fastify';

export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RangeError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}
