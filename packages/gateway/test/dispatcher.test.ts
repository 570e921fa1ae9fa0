/** The delivery worker's shutdown: a stop during a claim still waits for what that claim starts, and nothing reaches the database after. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, importPrivateKey } from '@amsgate/protocol';
import type { ClientRegistry, ResolvedClient } from '../src/auth/client-registry.js';
import { NotificationDispatcher } from '../src/notify/dispatcher.js';
import type { NotificationRecord, NotificationsRepository } from '../src/notify/notifications-repository.js';
import { singleProcessLiveness } from '../src/store/process-liveness.js';

describe('NotificationDispatcher.stop', () => {
  it('during a claim: waits for the claim and the deliveries it starts, which abandon at once and release their claims', async () => {
    let received = 0;
    const receiver = createServer((_req, res) => {
      received++;
      res.end('{"result":{"resultStatus":"S"}}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;

    let finishClaim: (rows: NotificationRecord[]) => void = () => undefined;
    const calls: string[] = [];
    let closed = false;
    const touch = (what: string) => {
      if (closed) throw new Error(`${what} after the database closed`);
      calls.push(what);
    };
    const repository = {
      claimDue: () => {
        touch('claimDue');
        return new Promise<NotificationRecord[]>((resolve) => (finishClaim = resolve));
      },
      releaseClaim: async (id: string) => touch(`releaseClaim ${id}`),
      claimHoldersOtherThan: async () => {
        touch('claimHoldersOtherThan');
        return [];
      },
      releaseClaimsOf: async () => 0,
      recordAttempt: async () => {
        touch('recordAttempt');
        return {} as never;
      },
    } as unknown as NotificationsRepository;
    const { privateKeyBase64 } = await generateKeyPair();
    const client: ResolvedClient = { clientId: 'C1', status: 'ACTIVE', signingKey: importPrivateKey(privateKeyBase64), signingKeyVersion: 1, merchantKeys: new Map() };
    const registry = { get: async () => client } as unknown as ClientRegistry;
    const errors: unknown[] = [];
    const dispatcher = new NotificationDispatcher(repository, registry, { now: () => 1_000 }, {
      schedule: [0, 1_000], concurrency: 4, pollIntervalMs: 10_000, timeoutMs: 5_000, maxResponseBytes: 1024, allowInternal: true,
      onError: (error) => errors.push(error), takeoverIntervalMs: 60_000,
    }, () => Promise.resolve(singleProcessLiveness()));

    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(['claimHoldersOtherThan', 'claimDue']);
    let stopped = false;
    const stopping = dispatcher.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);

    const due: NotificationRecord = {
      notificationId: 'N1', clientId: 'C1', notifyType: 'PAYMENT_RESULT', eventKey: 'payment:P1', resourceId: 'P1', url, body: '{}',
      status: 'PENDING', attempts: 0, nextAttemptAt: 1_000, lastError: null, createdAt: 1_000, updatedAt: 1_000, deliveredAt: null,
    };
    finishClaim([due]);
    await stopping;
    closed = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    receiver.close();

    expect(calls).toEqual(['claimHoldersOtherThan', 'claimDue', 'releaseClaim N1']);
    expect(received).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('NotificationDispatcher under request load', () => {
  it('claims at most its busy allowance while the request path is busy, its full concurrency otherwise', async () => {
    const limits: number[] = [];
    const repository = {
      claimDue: async (_now: number, _lease: number, limit: number) => {
        limits.push(limit);
        return [];
      },
      claimHoldersOtherThan: async () => [],
      releaseClaimsOf: async () => 0,
    } as unknown as NotificationsRepository;
    let busy = true;
    const dispatcher = new NotificationDispatcher(repository, {} as ClientRegistry, { now: () => 1_000 }, {
      schedule: [0], concurrency: 16, pollIntervalMs: 10_000, timeoutMs: 5_000, maxResponseBytes: 1024, allowInternal: true,
      takeoverIntervalMs: 60_000, requestsBusy: () => busy, busyConcurrency: 2,
    }, () => Promise.resolve(singleProcessLiveness()));
    await dispatcher.runOnce();
    busy = false;
    await dispatcher.runOnce();
    expect(limits).toEqual([2, 16]);
  });
});
