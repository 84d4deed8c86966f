import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../db/generated/client';
import type { SessionEntry } from '../realtime/relay';
import type { TerminalManager } from './manager';
import { liveSessionFor, liveSessionsFor } from './live';

/** The live sessions page in a cluster: other nodes' sessions come from the directory. */
function deps(remote: SessionEntry[], observable: string[] = []) {
  const db = {
    user: {
      findMany: async () => [
        { id: 'alice', username: 'alice' },
        { id: 'bob', username: 'bob' },
      ],
    },
    // canObserveDevice's query: is the device in a group the viewer's team may observe?
    device: { count: async (q: { where: { id: string } }) => (observable.includes(q.where.id) ? 1 : 0) },
  } as unknown as PrismaClient;
  const terminals = { list: () => [], get: () => null } as unknown as TerminalManager;
  return {
    db,
    terminals,
    nodes: { self: 'node-b' },
    relay: {
      remoteSessions: async () => remote,
      remoteSession: async (id: string) => remote.find((e) => e.id === id) ?? null,
    },
  };
}

const entry = (
  id: string,
  userId: string,
  deviceId: string,
  extra: Partial<SessionEntry> = {},
): SessionEntry => ({
  id,
  node: 'node-a',
  userId,
  deviceId,
  deviceName: `sw-${deviceId}`,
  since: 1_000,
  lastActive: 2_000,
  observers: [],
  guests: [],
  ...extra,
});

describe('live sessions of other nodes', () => {
  it('are listed for their owner, an invited guest, and whoever may observe the device', async () => {
    const remote = [
      entry('s1', 'alice', 'd1', { since: 3_000 }),
      entry('s2', 'bob', 'd2', { guests: ['alice'], since: 2_000 }),
      entry('s3', 'bob', 'd3', { observers: [{ name: 'lead', since: 5_000 }] }),
      entry('s4', 'bob', 'd4'),
    ];
    const list = await liveSessionsFor({ id: 'alice', role: 'operator' }, deps(remote, ['d3']));
    expect(list.map((s) => [s.id, s.own, s.node, s.username])).toEqual([
      ['s3', false, 'node-a', 'bob'],
      ['s2', false, 'node-a', 'bob'],
      ['s1', true, 'node-a', 'alice'],
    ]);
    expect(list[0]!.observers).toEqual([{ name: 'lead', since: new Date(5_000) }]);
  });

  it('one of them opens for a viewer who may see it, and is "not found" for one who may not', async () => {
    const d = deps([entry('s4', 'bob', 'd4')]);
    expect(await liveSessionFor('s4', { id: 'alice', role: 'operator' }, d)).toBeNull();
    expect(await liveSessionFor('s4', { id: 'root', role: 'admin' }, d)).toMatchObject({
      id: 's4',
      node: 'node-a',
      deviceName: 'sw-d4',
      own: false,
    });
    expect(await liveSessionFor('nope', { id: 'root', role: 'admin' }, d)).toBeNull();
  });
});
