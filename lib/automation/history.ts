import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '../db/generated/client';
import type { CommandOutput } from '../tasks/schema';
import { diffOutputs, type OutputDiff } from './diff';
import { comparableHash } from './group';

/**
 * Output history per device and template (configuration history when the template is a backup):
 * each successful templated run stores the device's output once by content hash (OutputBlob) and a
 * version row saying whether it is new, changed or unchanged against the previous run of the same
 * template on the same device, after the template's ignore patterns.
 */

/** Days output versions are kept (the latest per device and template is always kept). */
export const OUTPUT_RETENTION_DAYS_DEFAULT = 365;

/** The text kept for one device's run: a single command's output as it is, several under headers. */
export function outputDocument(outputs: CommandOutput[]): string {
  const ran = outputs.filter((o) => o.status === 'success');
  if (ran.length === 1) return ran[0]!.output;
  return ran.map((o) => `## ${o.command}\n${o.output.replace(/\n+$/, '')}\n`).join('\n');
}

export const blobHash = (text: string) => createHash('sha256').update(text).digest('hex');

async function storeBlob(db: PrismaClient, text: string): Promise<string> {
  const hash = blobHash(text);
  try {
    await db.outputBlob.create({ data: { hash, text, bytes: Buffer.byteLength(text) } });
  } catch (err) {
    // stored before (the point of hashing), or by a concurrent device with the same output
    if ((err as { code?: string }).code !== 'P2002') throw err;
  }
  return hash;
}

/** Store each distinct text once: one look-up and one insert for a whole batch of devices. */
async function storeBlobs(db: PrismaClient, texts: Map<string, string>): Promise<void> {
  const known = new Set(
    (
      await db.outputBlob.findMany({ where: { hash: { in: [...texts.keys()] } }, select: { hash: true } })
    ).map((b) => b.hash),
  );
  const missing = [...texts].filter(([hash]) => !known.has(hash));
  if (missing.length === 0) return;
  try {
    await db.outputBlob.createMany({
      data: missing.map(([hash, text]) => ({ hash, text, bytes: Buffer.byteLength(text) })),
    });
  } catch (err) {
    // another task stored one of them meanwhile: one at a time, each tolerating that
    if ((err as { code?: string }).code !== 'P2002') throw err;
    for (const [, text] of missing) await storeBlob(db, text);
  }
}

export interface RecordedVersion {
  id: string;
  change: 'new' | 'changed' | 'unchanged';
  added: number;
  removed: number;
}

/** One device's output of a templated run, for its history. */
export interface DeviceOutputEntry {
  deviceId: string | null;
  deviceName: string;
  taskDeviceId: string;
  text: string;
}

/** Store one device's output of a templated run and compare it with that device's previous one. */
export async function recordOutputVersion(
  db: PrismaClient,
  v: DeviceOutputEntry & { templateId: string; taskId: string; ignore?: (text: string) => string },
): Promise<RecordedVersion> {
  const [recorded] = await recordOutputVersions(
    db,
    { templateId: v.templateId, taskId: v.taskId, ignore: v.ignore },
    [v],
  );
  return recorded!;
}

/**
 * Store the outputs of several devices of one templated run (a batch of the executor's results),
 * each compared with its device's previous version of the template: a fixed number of statements
 * for the batch (blobs looked up and inserted together, every device's previous version in one
 * query, the versions in one insert) instead of four or five per device.
 */
export async function recordOutputVersions(
  db: PrismaClient,
  run: { templateId: string; taskId: string; ignore?: (text: string) => string },
  entries: readonly DeviceOutputEntry[],
): Promise<RecordedVersion[]> {
  if (entries.length === 0) return [];
  const hashed = entries.map((e) => ({
    ...e,
    hash: blobHash(e.text),
    comparable: comparableHash(e.text, run.ignore),
  }));
  await storeBlobs(db, new Map(hashed.map((e) => [e.hash, e.text])));
  const deviceIds = [...new Set(hashed.flatMap((e) => (e.deviceId ? [e.deviceId] : [])))];
  // each device's latest version of this template (the index on deviceId, templateId, createdAt
  // answers the inner query), however long its history
  const previous = new Map<string, { id: string; blobHash: string; comparableHash: string }>();
  if (deviceIds.length > 0) {
    const rows = await db.$queryRaw<
      { id: string; deviceId: string; blobHash: string; comparableHash: string }[]
    >`SELECT v."id", v."deviceId", v."blobHash", v."comparableHash" FROM "OutputVersion" v
      WHERE v."templateId" = ${run.templateId} AND v."deviceId" IN (${Prisma.join(deviceIds)})
        AND v."id" = (SELECT w."id" FROM "OutputVersion" w
          WHERE w."deviceId" = v."deviceId" AND w."templateId" = v."templateId"
          ORDER BY w."createdAt" DESC, w."id" DESC LIMIT 1)`;
    for (const r of rows) previous.set(r.deviceId, r);
  }
  const changedFrom = [
    ...new Set(
      hashed.flatMap((e) => {
        const p = e.deviceId ? previous.get(e.deviceId) : undefined;
        return p && p.comparableHash !== e.comparable ? [p.blobHash] : [];
      }),
    ),
  ];
  const before = new Map(
    changedFrom.length === 0
      ? []
      : (await db.outputBlob.findMany({ where: { hash: { in: changedFrom } } })).map((b) => [b.hash, b.text]),
  );
  const versions = hashed.map((e) => {
    const p = e.deviceId ? previous.get(e.deviceId) : undefined;
    let change: RecordedVersion['change'] = 'new';
    let added = 0;
    let removed = 0;
    if (p) {
      if (p.comparableHash === e.comparable) change = 'unchanged';
      else {
        change = 'changed';
        const d = diffOutputs(before.get(p.blobHash) ?? '', e.text, { ignore: run.ignore });
        added = d.added;
        removed = d.removed;
      }
    }
    return {
      deviceId: e.deviceId,
      deviceName: e.deviceName,
      templateId: run.templateId,
      taskId: run.taskId,
      taskDeviceId: e.taskDeviceId,
      blobHash: e.hash,
      comparableHash: e.comparable,
      change,
      added,
      removed,
      previousId: p?.id ?? null,
    };
  });
  const created = await db.outputVersion.createManyAndReturn({
    data: versions,
    select: { id: true, taskDeviceId: true },
  });
  const ids = new Map(created.map((r) => [r.taskDeviceId, r.id]));
  return versions.map((v) => ({
    id: ids.get(v.taskDeviceId)!,
    change: v.change,
    added: v.added,
    removed: v.removed,
  }));
}

/** A device's versions of one template (or of every template), newest first. */
export async function deviceHistory(
  db: PrismaClient,
  deviceId: string,
  opts: { templateId?: string; take?: number; templates?: Prisma.TaskTemplateWhereInput } = {},
) {
  const rows = await db.outputVersion.findMany({
    where: {
      deviceId,
      ...(opts.templateId ? { templateId: opts.templateId } : {}),
      // only the templates the reader may see (another user's private template stays private)
      ...(opts.templates ? { template: opts.templates } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: opts.take ?? 100,
    include: { template: { select: { name: true } } },
  });
  const sizes = new Map(
    (
      await db.outputBlob.findMany({
        where: { hash: { in: [...new Set(rows.map((r) => r.blobHash))] } },
        select: { hash: true, bytes: true },
      })
    ).map((b) => [b.hash, b.bytes]),
  );
  return rows.map((r) => ({
    id: r.id,
    templateId: r.templateId,
    template: r.template?.name ?? null,
    taskId: r.taskId,
    change: r.change as RecordedVersion['change'],
    added: r.added,
    removed: r.removed,
    bytes: sizes.get(r.blobHash) ?? 0,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** The stored text of one version. */
export async function versionText(db: PrismaClient, versionId: string): Promise<string | null> {
  const v = await db.outputVersion.findUnique({ where: { id: versionId }, select: { blobHash: true } });
  if (!v) return null;
  return (await db.outputBlob.findUnique({ where: { hash: v.blobHash } }))?.text ?? null;
}

/** Diff any two versions (of the same device, or two devices), older first. */
export async function diffVersions(
  db: PrismaClient,
  fromId: string,
  toId: string,
  ignore?: (text: string) => string,
): Promise<(OutputDiff & { from: string; to: string }) | null> {
  const [a, b] = await Promise.all([
    db.outputVersion.findUnique({ where: { id: fromId } }),
    db.outputVersion.findUnique({ where: { id: toId } }),
  ]);
  if (!a || !b) return null;
  const [ta, tb] = await Promise.all([versionText(db, a.id), versionText(db, b.id)]);
  const label = (v: typeof a) =>
    `${v.deviceName} ${v.createdAt.toISOString().replace('T', ' ').slice(0, 19)}`;
  return {
    ...diffOutputs(ta ?? '', tb ?? '', { ignore, labels: [label(a), label(b)] }),
    from: label(a),
    to: label(b),
  };
}

/**
 * Forget versions older than the cutoff, except each device's latest of each template (the baseline
 * the next run compares with), then the blobs no version refers to. Returns what was deleted.
 */
export async function purgeOutputHistory(
  db: PrismaClient,
  cutoff: Date,
): Promise<{ versions: number; blobs: number }> {
  const old = await db.outputVersion.findMany({
    where: { createdAt: { lt: cutoff } },
    select: { id: true, deviceId: true, templateId: true, createdAt: true },
  });
  const latest = new Map<string, string>();
  for (const key of new Set(old.map((v) => `${v.deviceId}|${v.templateId}`))) {
    const [deviceId, templateId] = key.split('|');
    const newest = await db.outputVersion.findFirst({
      where: {
        deviceId: deviceId === 'null' ? null : deviceId,
        templateId: templateId === 'null' ? null : templateId,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    if (newest) latest.set(key, newest.id);
  }
  const doomed = old.filter((v) => latest.get(`${v.deviceId}|${v.templateId}`) !== v.id).map((v) => v.id);
  let versions = 0;
  for (let i = 0; i < doomed.length; i += 500) {
    versions += (await db.outputVersion.deleteMany({ where: { id: { in: doomed.slice(i, i + 500) } } }))
      .count;
  }
  const used = new Set(
    (await db.outputVersion.findMany({ select: { blobHash: true }, distinct: ['blobHash'] })).map(
      (v) => v.blobHash,
    ),
  );
  // a blob stored after the cutoff may belong to a run that has not written its version yet
  const blobs = (
    await db.outputBlob.findMany({ where: { createdAt: { lt: cutoff } }, select: { hash: true } })
  )
    .filter((b) => !used.has(b.hash))
    .map((b) => b.hash);
  let removed = 0;
  for (let i = 0; i < blobs.length; i += 500) {
    // checked again in the same statement: a version written since the list above keeps its blob
    removed += await db.$executeRaw`DELETE FROM "OutputBlob" WHERE "hash" IN (${Prisma.join(
      blobs.slice(i, i + 500),
    )}) AND NOT EXISTS (SELECT 1 FROM "OutputVersion" v WHERE v."blobHash" = "OutputBlob"."hash")`;
  }
  return { versions, blobs: removed };
}
