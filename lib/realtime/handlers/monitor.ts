import type { Logger } from 'pino';
import type { EventBus, EventMap } from '../../events/types';
import { progressPercent } from '../../tasks/progress';
import {
  canSeeTask,
  monitorSnapshot,
  TASK_DEVICE_VIEW_SELECT,
  watchTask,
  type TaskActor,
  type TaskDeps,
  type TaskSummary,
} from '../../tasks/service';
import { isFinal, type TaskDeviceStatus } from '../../tasks/status';
import type { ChannelHandler, Connection } from '../connections';
import {
  ERROR_CODES,
  MSG,
  monitorClientMessage,
  type MonitorClientMessage,
  type TaskDevicesMessage,
  type TaskUpdate,
} from '../protocol';

/** Tasks sent in the snapshot on connect (most recent first; every active task too). */
export const MONITOR_SNAPSHOT_TASKS = 50;
/** Tasks one socket may follow in detail at once. */
export const MONITOR_MAX_SUBSCRIPTIONS = 20;

export function taskUpdateFrame(
  t: Pick<TaskSummary, 'id' | 'status' | 'progress' | 'currentDevice' | 'totalDevices' | 'completedDevices'>,
  timestamp: string,
): TaskUpdate {
  return {
    type: MSG.taskUpdate,
    task_id: t.id,
    status: t.status as TaskUpdate['status'],
    progress: t.progress,
    current_device: t.currentDevice,
    total_devices: t.totalDevices,
    completed_devices: t.completedDevices,
    timestamp,
  };
}

type TaskState = Pick<
  TaskSummary,
  'id' | 'status' | 'progress' | 'currentDevice' | 'totalDevices' | 'completedDevices'
>;

interface Watcher {
  conn: Connection;
  subscriptions: Set<string>;
  /** Tasks this socket was last told are queued or running: a resync tells it how they ended. */
  active: Set<string>;
}

function sendUpdate(w: Watcher, t: TaskState, timestamp: string): void {
  w.conn.send(taskUpdateFrame(t, timestamp));
  noteStatus(w, t.id, t.status);
}

function noteStatus(w: Watcher, taskId: string, status: string): void {
  if (isFinal(status)) w.active.delete(taskId);
  else w.active.add(taskId);
}

/** What one snapshot covers: admins all share one, everyone else sees their own tasks. */
const snapshotKey = (actor: TaskActor) => (actor.role === 'admin' ? 'admin' : `user:${actor.id}`);

/**
 * /ws/monitor/tasks: every connection gets a snapshot of the tasks it may see, then `task_update`
 * for each of them; `subscribe_task` adds per-device detail for one task. A user only ever receives
 * their own tasks (admins: all).
 */
export function monitorChannel(deps: {
  tasks: Pick<TaskDeps, 'db'>;
  bus: EventBus;
  log: Logger;
}): ChannelHandler<MonitorClientMessage> & { dispose(): void } {
  const watchers = new Map<string, Watcher>();

  const onTask = (e: EventMap['task.status.changed']) => {
    if (watchers.size === 0) return;
    const update = JSON.stringify(
      taskUpdateFrame(
        {
          id: e.taskId,
          status: e.status,
          progress: e.progress,
          currentDevice: e.currentDevice,
          totalDevices: e.totalDevices,
          completedDevices: e.completedDevices,
        },
        e.timestamp,
      ),
    );
    let detail: string | null = null;
    for (const w of watchers.values()) {
      const { identity } = w.conn;
      if (!canSeeTask({ id: identity.userId, role: identity.role }, e.ownerId)) continue;
      w.conn.sendText(update);
      noteStatus(w, e.taskId, e.status);
      if (e.devices && w.subscriptions.has(e.taskId)) {
        detail ??= JSON.stringify({
          type: MSG.taskDevices,
          task_id: e.taskId,
          snapshot: false,
          devices: e.devices.map((d) => ({
            device_id: d.deviceId || null,
            device_name: d.deviceName,
            status: d.status,
            error: d.error ?? null,
            duration_ms: d.durationMs ?? null,
            ...(d.output !== undefined ? { output: d.output } : {}),
          })),
        } satisfies TaskDevicesMessage);
        w.conn.sendText(detail);
      }
    }
  };
  const unsubscribe = deps.bus.subscribe('task.status.changed', onTask);

  return {
    channel: 'monitor',
    inbound: monitorClientMessage,
    inboundTypes: monitorClientMessage.options.map((o) => o.shape.type.value),

    async onOpen(conn) {
      const w: Watcher = { conn, subscriptions: new Set(), active: new Set() };
      watchers.set(conn.id, w);
      const actor = { id: conn.identity.userId, role: conn.identity.role };
      const now = new Date().toISOString();
      for (const t of await monitorSnapshot(actor, deps.tasks, MONITOR_SNAPSHOT_TASKS)) sendUpdate(w, t, now);
    },

    async onMessage(conn, msg) {
      const w = watchers.get(conn.id);
      if (!w) return;
      if (msg.type === 'unsubscribe_task') {
        w.subscriptions.delete(msg.task_id);
        return;
      }
      const actor = { id: conn.identity.userId, role: conn.identity.role };
      const watched = await watchTask(actor, msg.task_id, deps.tasks);
      if (!watched.ok)
        return conn.sendError(
          watched.code === 'not_found' ? 'not_found' : ERROR_CODES.notAllowed,
          watched.error,
        );
      if (!w.subscriptions.has(msg.task_id) && w.subscriptions.size >= MONITOR_MAX_SUBSCRIPTIONS) {
        return conn.sendError(
          ERROR_CODES.notAllowed,
          `At most ${MONITOR_MAX_SUBSCRIPTIONS} task subscriptions per connection.`,
        );
      }
      w.subscriptions.add(msg.task_id);
      conn.send({
        type: MSG.taskDevices,
        task_id: msg.task_id,
        snapshot: true,
        devices: watched.devices.map((d) => ({
          device_id: d.deviceId,
          device_name: d.deviceName,
          status: d.status,
          error: d.error,
          duration_ms: d.durationMs,
        })),
      });
      sendUpdate(w, watched.task, new Date().toISOString());
    },

    /**
     * Task events may have been missed: each socket gets its snapshot again (as on connect), the tasks
     * it was last told are active, and for each task it follows the device rows, then `task_update`.
     * One snapshot per user (one for all admins) and one read for every followed task.
     */
    async resync(conns) {
      const ws = conns.flatMap((c) => watchers.get(c.id) ?? []);
      if (ws.length === 0) return;
      // stamped before reading: a live update sent meanwhile is newer and the browser keeps it
      const now = new Date().toISOString();
      const actorOf = (w: Watcher): TaskActor => ({ id: w.conn.identity.userId, role: w.conn.identity.role });
      const snapshots = new Map<string, Promise<TaskSummary[]>>();
      for (const w of ws) {
        const actor = actorOf(w);
        const key = snapshotKey(actor);
        if (!snapshots.has(key))
          snapshots.set(key, monitorSnapshot(actor, deps.tasks, MONITOR_SNAPSHOT_TASKS));
      }
      const subscribed = new Set(ws.flatMap((w) => [...w.subscriptions]));
      const followed = new Set([...subscribed, ...ws.flatMap((w) => [...w.active])]);
      const [rows, deviceRows] = await Promise.all([
        followed.size === 0
          ? []
          : deps.tasks.db.task.findMany({
              where: { id: { in: [...followed] } },
              select: { id: true, ownerId: true, status: true, totalDevices: true, completedDevices: true },
            }),
        subscribed.size === 0
          ? []
          : deps.tasks.db.taskDevice.findMany({
              where: { taskId: { in: [...subscribed] } },
              orderBy: { deviceName: 'asc' },
              select: { taskId: true, ...TASK_DEVICE_VIEW_SELECT },
            }),
      ]);
      const snapshotOf = new Map<string, TaskSummary[]>();
      for (const [key, p] of snapshots) snapshotOf.set(key, await p);
      const devicesOf = new Map<string, (typeof deviceRows)[number][]>();
      for (const d of deviceRows) {
        let list = devicesOf.get(d.taskId);
        if (!list) devicesOf.set(d.taskId, (list = []));
        list.push(d);
      }
      const rowOf = new Map(rows.map((t) => [t.id, t]));

      for (const w of ws) {
        const actor = actorOf(w);
        const tasks = new Map<string, TaskState>();
        for (const t of snapshotOf.get(snapshotKey(actor)) ?? []) tasks.set(t.id, t);
        for (const id of new Set([...w.active, ...w.subscriptions])) {
          const t = rowOf.get(id);
          if (!t || !canSeeTask(actor, t.ownerId)) {
            // gone, or no longer this user's to see: nothing more to say about it
            w.active.delete(id);
            w.subscriptions.delete(id);
            continue;
          }
          const devices = w.subscriptions.has(id) ? (devicesOf.get(id) ?? []) : [];
          tasks.set(id, {
            id,
            status: t.status as TaskState['status'],
            progress: progressPercent(t.completedDevices, t.totalDevices),
            currentDevice: devices.find((d) => d.status === 'running')?.deviceName ?? null,
            totalDevices: t.totalDevices,
            completedDevices: t.completedDevices,
          });
          if (!w.subscriptions.has(id)) continue;
          w.conn.send({
            type: MSG.taskDevices,
            task_id: id,
            snapshot: true,
            devices: devices.map((d) => ({
              device_id: d.deviceId,
              device_name: d.deviceName,
              status: d.status as TaskDeviceStatus,
              error: d.error,
              duration_ms:
                d.startedAt && d.finishedAt ? d.finishedAt.getTime() - d.startedAt.getTime() : null,
            })),
          } satisfies TaskDevicesMessage);
        }
        for (const t of tasks.values()) sendUpdate(w, t, now);
      }
    },

    onClose(conn) {
      watchers.delete(conn.id);
    },

    dispose() {
      unsubscribe();
      watchers.clear();
    },
  };
}
