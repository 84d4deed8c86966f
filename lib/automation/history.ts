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

export interface RecordedVersion {
  id: string;
  change: 'new' | 'changed' | 'unchanged';
  added: number;
  removed: number;
}

/** Store one device's output of a templated run and compare it with that device's previous one. */
export async function recordOutputVersion(
  db: PrismaClient,
  v: {
    deviceId: string | null;
    deviceName: string;
    templateId: string;
    taskId: string;
    taskDeviceId: string;
    text: string;
    ignore?: (text: string) => string;
  },
): Promise<RecordedVersion> {
  const hash = await storeBlob(db, v.text);
  const comparable = comparableHash(v.text, v.ignore);
  const previous = v.deviceId
    ? await db.outputVersion.findFirst({
        where: { deviceId: v.deviceId, templateId: v.templateId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })
    : null;
  let change: RecordedVersion['change'] = 'new';
  let added = 0;
  let removed = 0;
  if (previous) {
    if (previous.comparableHash === comparable) change = 'unchanged';
    else {
      change = 'changed';
      const before = await db.outputBlob.findUnique({ where: { hash: previous.blobHash } });
      const d = diffOutputs(before?.text ?? '', v.text, { ignore: v.ignore });
      added = d.added;
      removed = d.removed;
    }
  }
  const row = await db.outputVersion.create({
    data: {
      deviceId: v.deviceId,
      deviceName: v.deviceName,
      templateId: v.templateId,
      taskId: v.taskId,
      taskDeviceId: v.taskDeviceId,
      blobHash: hash,
      comparableHash: comparable,
      change,
      added,
      removed,
      previousId: previous?.id ?? null,
    },
  });
  return { id: row.id, change, added, removed };
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
