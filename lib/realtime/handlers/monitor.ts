import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/generated/client';
import type { EventBus, EventMap } from '../../events/types';
import { taskSummary, visibleTasksWhere, type TaskSummary } from '../../tasks/service';
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
  db: PrismaClient;
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
      if (identity.role !== 'admin' && identity.userId !== e.ownerId) continue;
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
      const [recent, active] = await Promise.all([
        deps.db.task.findMany({
          where: visibleTasksWhere(actor),
          orderBy: { createdAt: 'desc' },
          take: MONITOR_SNAPSHOT_TASKS,
        }),
        deps.db.task.findMany({
          where: { ...visibleTasksWhere(actor), status: { in: ['queued', 'running'] } },
        }),
      ]);
      const seen = new Set<string>();
      const now = new Date().toISOString();
      for (const t of [...active, ...recent]) {
        if (seen.has(t.id)) continue;
        seen.add(t.id);
        conn.send(taskUpdateFrame(taskSummary(t), now));
      }
    },

    async onMessage(conn, msg) {
      const w = watchers.get(conn.id);
      if (!w) return;
      if (msg.type === 'unsubscribe_task') {
        w.subscriptions.delete(msg.task_id);
        return;
      }
      const task = await deps.db.task.findUnique({ where: { id: msg.task_id } });
      if (!task) return conn.sendError('not_found', 'No such task.');
      if (conn.identity.role !== 'admin' && task.ownerId !== conn.identity.userId) {
        return conn.sendError(ERROR_CODES.notAllowed, 'This task is not yours.');
      }
      if (!w.subscriptions.has(task.id) && w.subscriptions.size >= MONITOR_MAX_SUBSCRIPTIONS) {
        return conn.sendError(
          ERROR_CODES.notAllowed,
          `At most ${MONITOR_MAX_SUBSCRIPTIONS} task subscriptions per connection.`,
        );
      }
      w.subscriptions.add(task.id);
      const rows = await deps.db.taskDevice.findMany({
        where: { taskId: task.id },
        orderBy: { deviceName: 'asc' },
        select: {
          deviceId: true,
          deviceName: true,
          status: true,
          error: true,
          startedAt: true,
          finishedAt: true,
        },
      });
      conn.send({
        type: MSG.taskDevices,
        task_id: task.id,
        snapshot: true,
        devices: rows.map((r) => ({
          device_id: r.deviceId,
          device_name: r.deviceName,
          status: r.status,
          error: r.error,
          duration_ms: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
        })),
      });
      conn.send(
        taskUpdateFrame(
          taskSummary(task, rows.find((r) => r.status === 'running')?.deviceName ?? null),
          new Date().toISOString(),
        ),
      );
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
