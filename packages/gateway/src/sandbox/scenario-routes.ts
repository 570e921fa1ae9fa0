/**
 * The sandbox control API's scenario simulation routes, registered inside
 * the control API's guarded scope (sandbox mode only):
 * `POST /sandbox/scenarios`, `GET /sandbox/scenarios[?clientId=]`,
 * `DELETE /sandbox/scenarios/{id}` and `DELETE /sandbox/scenarios[?clientId=]`.
 */
import type { FastifyInstance } from 'fastify';
import { ScenarioRuleError, type SandboxScenarios } from './scenarios.js';
import { jsonObjectBody } from '../web/control-body.js';

export type { SandboxScenarios } from './scenarios.js';

export function registerScenarioRoutes(control: FastifyInstance, scenarios: SandboxScenarios): void {
  control.post('/sandbox/scenarios', async (request, reply) => {
    try {
      const scenario = await scenarios.add(jsonObjectBody(request));
      return reply.status(201).send({ scenario });
    } catch (error) {
      if (error instanceof ScenarioRuleError) return reply.status(400).send({ error: error.message });
      throw error;
    }
  });

  control.get<{ Querystring: { clientId?: string } }>('/sandbox/scenarios', async (request) => ({ scenarios: scenarios.list(request.query.clientId) }));

  control.delete<{ Querystring: { clientId?: string } }>('/sandbox/scenarios', async (request) => ({ removed: scenarios.clear(request.query.clientId) }));

  control.delete<{ Params: { id: string } }>('/sandbox/scenarios/:id', async (request, reply) => {
    if (!scenarios.remove(request.params.id)) return reply.status(404).send({ error: `no scenario ${request.params.id} (it may have run out)` });
    return { removed: 1 };
  });
}
