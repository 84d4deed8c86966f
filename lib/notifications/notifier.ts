import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import { formatDuration } from '../format/duration';
import { plural } from '../format/plural';
import type { NotificationFeed } from './feed';
import { usersSeeingDeviceWhere } from '../devices/visibility';
import { runChanges, templateFollowers } from '../automation/subscriptions';

/** Users who can see a device (enabled admins, and grants to them, their teams or its groups). */
export async function usersWhoSee(db: PrismaClient, deviceId: string): Promise<string[]> {
  const users = await db.user.findMany({
    where: { AND: [{ disabled: false }, usersSeeingDeviceWhere(deviceId)] },
    select: { id: true },
  });
  return users.map((u) => u.id);
}

/**
 * How long a device that is back online was down: from its last `offline` transition up to `upAt`,
 * or null when the device has no offline transition on record.
 */
export async function outageMs(db: PrismaClient, deviceId: string, upAt: Date): Promise<number | null> {
  const wentDown = await db.deviceStatusChange.findFirst({
    where: { deviceId, status: 'offline', at: { lte: upAt } },
    orderBy: { at: 'desc' },
    select: { at: true },
  });
  return wentDown ? upAt.getTime() - wentDown.at.getTime() : null;
}

/**
 * Turns events into feed entries: a device going down or coming back (for the users who can see
 * it) and a task finishing or failing (for its owner). Returns the unsubscribe function.
 */
export function startNotifier(deps: {
  db: PrismaClient;
  bus: EventBus;
  feed: NotificationFeed;
  log: Logger;
}): () => void {
  const { db, bus, feed, log } = deps;
  const offStatus = bus.subscribe('device.status.changed', async (e) => {
    const down = e.status === 'offline' && e.previous === 'online';
    const up = e.status === 'online' && e.previous === 'offline';
    if (!down && !up) return;
    const device = await db.device.findUnique({
      where: { id: e.deviceId },
      select: { name: true, host: true },
    });
    if (!device) return;
    // "back online after 4 min 12 s": the first thing an engineer asks about an outage is how long
    const outage = up ? await outageMs(db, e.deviceId, new Date(e.at)) : null;
    const backOnline = `${device.name} is back online${outage === null ? '' : ` after ${formatDuration(outage)}`}`;
    const n = await feed.notify(await usersWhoSee(db, e.deviceId), {
      kind: down ? 'device_down' : 'device_up',
      title: down ? `${device.name} is down` : backOnline,
      body: `${device.host}: ${e.reason ?? ''}`.trim(),
      params: {
        device: device.name,
        host: device.host,
        ...(e.reason ? { reason: e.reason } : {}),
        ...(outage === null ? {} : { outageMs: outage }),
      },
      link: `/devices?q=${encodeURIComponent(device.name)}`,
      eventKey: `device:${e.deviceId}:${e.status}:${e.at}`,
    });
    log.debug({ deviceId: e.deviceId, status: e.status, notified: n }, 'device status notifications');
  });
  const offTasks = bus.subscribe('task.status.changed', async (e) => {
    if (!e.final || (e.status !== 'completed' && e.status !== 'failed')) return;
    const task = await db.task.findUnique({
      where: { id: e.taskId },
      select: {
        name: true,
        skippedDevices: true,
        templateId: true,
        template: { select: { name: true } },
      },
    });
    if (!task) return;
    if (task.templateId && task.template)
      await notifyConfigChanged(e.taskId, e.ownerId, task.templateId, task.template.name, e.timestamp);
    const skipped = task.skippedDevices;
    await feed.notify([e.ownerId], {
      kind: e.status === 'completed' ? 'task_completed' : 'task_failed',
      title: e.status === 'completed' ? `Task "${task.name}" completed` : `Task "${task.name}" failed`,
      body:
        e.status !== 'completed'
          ? `${e.failedDevices} of ${plural(e.totalDevices, 'device')} failed.`
          : skipped > 0
            ? // devices with no commands for their vendor did not succeed: say so
              `${e.totalDevices - skipped} of ${plural(e.totalDevices, 'device')} succeeded, ${skipped} skipped.`
            : e.totalDevices === 1
              ? 'The device succeeded.'
              : `All ${e.totalDevices} devices succeeded.`,
      params: { task: task.name, total: e.totalDevices, failed: e.failedDevices, skipped },
      link: `/tasks/${e.taskId}`,
      // the finish, not the task: a retried task that finishes again notifies again
      eventKey: `task:${e.taskId}:${e.status}:${e.timestamp}`,
    });
  });
  /**
   * "Configuration changed on N devices" to the template's followers, when a run found changes. The
   * task's owner and admins are sent to the task; other followers (who cannot open someone else's
   * task) to the template.
   */
  async function notifyConfigChanged(
    taskId: string,
    ownerId: string,
    templateId: string,
    template: string,
    finishedAt: string,
  ) {
    const c = await runChanges(db, taskId);
    if (c.changed === 0) return;
    const followers = await templateFollowers(db, templateId);
    const admins = new Set(
      (await db.user.findMany({ where: { id: { in: followers }, role: 'admin' }, select: { id: true } })).map(
        (u) => u.id,
      ),
    );
    const seeTask = followers.filter((id) => id === ownerId || admins.has(id));
    const others = followers.filter((id) => !seeTask.includes(id));
    const note = {
      kind: 'config_changed' as const,
      eventKey: `config:${taskId}:${finishedAt}`,
      title: `${template}: output changed on ${plural(c.changed, 'device')}`,
      body: `${c.changed} changed, ${c.unchanged} unchanged, ${c.new} new.`,
      params: { template, changed: c.changed, unchanged: c.unchanged, new: c.new },
    };
    const n =
      (await feed.notify(seeTask, { ...note, link: `/tasks/${taskId}` })) +
      (await feed.notify(others, { ...note, link: `/templates/${templateId}` }));
    log.debug({ taskId, templateId, notified: n }, 'configuration change notifications');
  }
  return () => {
    offStatus();
    offTasks();
  };
}
