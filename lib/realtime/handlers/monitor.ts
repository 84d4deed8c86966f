import type { Logger } from 'pino';
import type { EventBus, EventMap } from '../../events/types';
import { canSeeTask, monitorSnapshot, watchTask, type TaskDeps, type TaskSummary } from '../../tasks/service';
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

interface Watcher {
  conn: Connection;
  subscriptions: Set<string>;
}

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
      watchers.set(conn.id, { conn, subscriptions: new Set() });
      const actor = { id: conn.identity.userId, role: conn.identity.role };
      const now = new Date().toISOString();
      for (const t of await monitorSnapshot(actor, deps.tasks, MONITOR_SNAPSHOT_TASKS))
        conn.send(taskUpdateFrame(t, now));
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
      conn.send(taskUpdateFrame(watched.task, new Date().toISOString()));
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
