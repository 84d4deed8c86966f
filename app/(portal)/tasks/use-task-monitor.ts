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
import type { TaskDeviceDetail, TaskSummary } from '@/lib/tasks/service';
import { isFinal } from '@/lib/tasks/status';

export interface TaskDetailData {
  task: TaskSummary & { updatedAt?: string };
  devices: TaskDeviceDetail[];
}

export const tasksKey = ['tasks'] as const;
export const taskKey = (id: string) => ['task', id] as const;

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
  qc.setQueryData<TaskDetailData>(taskKey(u.task_id), (d) =>
    d ? { ...d, task: mergeUpdate(d.task, u) } : d,
  );
  if (isFinal(u.status)) {
    // exact counters and full outputs from the database once the task is done
    void qc.invalidateQueries({ queryKey: taskKey(u.task_id) });
    void qc.invalidateQueries({ queryKey: tasksKey });
  }
}

function applyDevices(qc: QueryClient, m: TaskDevicesMessage) {
  qc.setQueryData<TaskDetailData>(taskKey(m.task_id), (d) => {
    if (!d) return d;
    const byName = new Map(m.devices.map((x) => [x.device_name, x]));
    return {
      ...d,
      devices: d.devices.map((row) => {
        const x = byName.get(row.deviceName);
        if (!x) return row;
        let outputs = row.outputs;
        if (x.output) {
          try {
            outputs = JSON.parse(x.output) as CommandOutput[];
          } catch {
            // keep what we had
          }
        }
        return {
          ...row,
          status: x.status,
          error: x.error ?? null,
          durationMs: x.duration_ms ?? row.durationMs,
          outputs,
        };
      }),
    };
  });
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
