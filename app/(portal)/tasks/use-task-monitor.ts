'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useChannel } from '@/app/_lib/use-channel';
import {
  MSG,
  monitorServerMessage,
  type MonitorClientMessage,
  type MonitorServerMessage,
  type TaskDevicesMessage,
  type TaskUpdate,
} from '@/lib/realtime/protocol';
import type { CommandOutput } from '@/lib/tasks/schema';
import type { TaskDeviceDetail, TaskDeviceFilter, TaskPage, TaskSummary } from '@/lib/tasks/service';
import { isFinal } from '@/lib/tasks/status';

/** One page of a task's device rows, as the task page holds it (live updates merged in). */
export interface TaskDetailData extends Omit<TaskPage, 'task'> {
  task: TaskSummary & { updatedAt?: string };
}

export const tasksKey = ['tasks'] as const;
/** Everything the page caches about one task: its pages and the outputs of opened devices. */
export const taskKey = (id: string) => ['task', id] as const;
const taskPagesKey = (id: string) => ['task', id, 'page'] as const;
export const taskPageKey = (id: string, status: TaskDeviceFilter, page: number) =>
  ['task', id, 'page', status, page] as const;
export const taskDeviceKey = (id: string, rowId: string) => ['task', id, 'device', rowId] as const;

function mergeUpdate<T extends TaskSummary & { updatedAt?: string }>(t: T, u: TaskUpdate): T {
  if (t.updatedAt && t.updatedAt > u.timestamp) return t; // an older update arriving late
  return {
    ...t,
    status: u.status,
    progress: u.progress,
    currentDevice: u.current_device,
    totalDevices: u.total_devices,
    completedDevices: u.completed_devices,
    updatedAt: u.timestamp,
  };
}

function applyUpdate(qc: QueryClient, u: TaskUpdate) {
  let known = false;
  qc.setQueryData<(TaskSummary & { updatedAt?: string })[]>(tasksKey, (list) =>
    list?.map((t) => {
      if (t.id !== u.task_id) return t;
      known = true;
      return mergeUpdate(t, u);
    }),
  );
  if (!known) void qc.invalidateQueries({ queryKey: tasksKey }); // a task this page has not seen yet
  qc.setQueriesData<TaskDetailData>({ queryKey: taskPagesKey(u.task_id) }, (d) =>
    d ? { ...d, task: mergeUpdate(d.task, u) } : d,
  );
  if (isFinal(u.status)) {
    // exact counters, pages and outputs from the database once the task is done
    void qc.invalidateQueries({ queryKey: taskKey(u.task_id) });
    void qc.invalidateQueries({ queryKey: tasksKey });
  }
}

/** Per-status counts and row order change as devices finish: refetch the shown page, at most once a second. */
const REFRESH_PAGE_MS = 1000;
const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
function refreshPagesSoon(qc: QueryClient, taskId: string) {
  if (refreshTimers.has(taskId)) return;
  refreshTimers.set(
    taskId,
    setTimeout(() => {
      refreshTimers.delete(taskId);
      void qc.invalidateQueries({ queryKey: taskPagesKey(taskId) });
    }, REFRESH_PAGE_MS),
  );
}

function applyDevices(qc: QueryClient, m: TaskDevicesMessage) {
  const byName = new Map(m.devices.map((x) => [x.device_name, x]));
  const opened: { rowId: string; x: TaskDevicesMessage['devices'][number] }[] = [];
  // the rows on the pages this tab holds change at once; other pages come with the refetch
  qc.setQueriesData<TaskDetailData>({ queryKey: taskPagesKey(m.task_id) }, (d) => {
    if (!d) return d;
    return {
      ...d,
      devices: d.devices.map((row) => {
        const x = byName.get(row.deviceName);
        if (!x) return row;
        opened.push({ rowId: row.id, x });
        return {
          ...row,
          status: x.status,
          error: x.error ?? null,
          durationMs: x.duration_ms ?? row.durationMs,
        };
      }),
    };
  });
  // an opened device shows its output as it comes
  for (const { rowId, x } of opened) {
    qc.setQueryData<TaskDeviceDetail>(taskDeviceKey(m.task_id, rowId), (d) => {
      if (!d) return d;
      let outputs = d.outputs;
      if (x.output) {
        try {
          outputs = JSON.parse(x.output) as CommandOutput[];
        } catch {
          // keep what we had
        }
      }
      return { ...d, status: x.status, error: x.error ?? null, outputs };
    });
  }
  refreshPagesSoon(qc, m.task_id);
}

/** Live task progress from /ws/monitor/tasks, written into React Query's cache. True while connected. */
export function useTaskMonitor(subscribeTo?: string): boolean {
  const qc = useQueryClient();
  const state = useChannel<MonitorServerMessage, MonitorClientMessage>(
    {
      path: 'monitor/tasks',
      schema: monitorServerMessage,
      onOpen: (ch) => {
        if (subscribeTo) ch.send({ type: MSG.subscribeTask, task_id: subscribeTo });
        // anything missed while disconnected
        void qc.invalidateQueries({ queryKey: subscribeTo ? taskKey(subscribeTo) : tasksKey });
      },
      onMessage: (m) => {
        if (m.type === MSG.taskUpdate) applyUpdate(qc, m);
        else if (m.type === MSG.taskDevices && !m.snapshot) applyDevices(qc, m);
      },
    },
    subscribeTo,
  );
  return state.kind === 'open';
}
