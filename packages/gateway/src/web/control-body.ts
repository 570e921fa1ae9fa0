/** The control API's input: the JSON object a request posts, and the error that answers bad input with 400. */
import type { FastifyRequest } from 'fastify';

/** Bad input to the control API: the error handler answers it 400 with the message (any other error is a 500). */
export class ControlInputError extends Error {
  override name = 'ControlInputError';
}

/** The JSON object a control API request posts (none at all reads as `{}`). */
export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ControlInputError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ControlInputError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}
