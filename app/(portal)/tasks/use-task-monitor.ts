'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { monitorServerMessage, type TaskDevicesMessage, type TaskUpdate } from '@/lib/realtime/protocol';
import type { CommandOutput } from '@/lib/tasks/schema';
import type { TaskDeviceDetail, TaskSummary } from '@/lib/tasks/service';

export interface TaskDetailData {
  task: TaskSummary & { updatedAt?: string };
  devices: TaskDeviceDetail[];
}

export const tasksKey = ['tasks'] as const;
export const taskKey = (id: string) => ['task', id] as const;

const FINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

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
  if (FINAL.has(u.status)) {
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

/** Live task progress from /ws/monitor/tasks, written into React Query's cache. */
export function useTaskMonitor(subscribeTo?: string): boolean {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(`${proto}//${location.host}/ws/monitor/tasks`);
      ws.onopen = () => {
        setLive(true);
        if (subscribeTo) ws?.send(JSON.stringify({ type: 'subscribe_task', task_id: subscribeTo }));
        // anything missed while disconnected
        void qc.invalidateQueries({ queryKey: subscribeTo ? taskKey(subscribeTo) : tasksKey });
      };
      ws.onmessage = (ev) => {
        let parsed;
        try {
          parsed = monitorServerMessage.safeParse(JSON.parse(ev.data as string));
        } catch {
          return;
        }
        if (!parsed.success) return;
        const m = parsed.data;
        if (m.type === 'task_update') applyUpdate(qc, m);
        else if (m.type === 'task_devices' && !m.snapshot) applyDevices(qc, m);
      };
      ws.onclose = () => {
        setLive(false);
        if (!stopped) retry = setTimeout(open, 2000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [qc, subscribeTo]);
  return live;
}
