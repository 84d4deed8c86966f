import type { ClusterNodes } from '../cluster/nodes';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import { TaskHeldElsewhere } from './queue';
import { publishState } from './service';
import { isFinal } from './status';
import { failRunningDevices, finishCancelled } from './transitions';

/** Why a device row left `running` by an earlier runner fails instead of running again. */
export function takenOverDeviceError(previousNode: string | null, self: string): string {
  const who = previousNode === null || previousNode === self ? 'the server' : `node ${previousNode}`;
  return `Interrupted: ${who} stopped while this device was running; its commands may have partly run, so it is not re-run automatically (use Retry failed).`;
}

/**
 * Before a runner starts a task, it claims it: the task's `nodeId` becomes this node, unless another
 * node that is still alive holds it (then TaskHeldElsewhere: the queue tries again later). A task
 * is run by one live node at a time even when its queue job is duplicated (a job put back by the
 * stalled check while its node was frozen, or added again after Redis lost its data).
 *
 * Devices the previous runner left `running` fail with the reason (their commands may have partly
 * run: never repeated silently); pending devices run here. A cancel requested while no node held the
 * task is carried out here. Returns false when there is nothing to run.
 */
export async function claimTask(
  deps: { db: PrismaClient; bus: EventBus; nodes: ClusterNodes },
  taskId: string,
): Promise<boolean> {
  const { db, nodes } = deps;
  const task = await db.task.findUnique({
    where: { id: taskId },
    select: { status: true, nodeId: true, cancelRequested: true },
  });
  if (!task || isFinal(task.status)) return false;
  const previous = task.nodeId;
  if (previous !== null && previous !== nodes.self && (await nodes.isAlive(previous)))
    throw new TaskHeldElsewhere(taskId, previous);
  // compare-and-set: of two nodes claiming at once, one wins
  const { count } = await db.task.updateMany({
    where: { id: taskId, nodeId: previous },
    data: { nodeId: nodes.self },
  });
  if (count === 0) {
    const now = await db.task.findUnique({ where: { id: taskId }, select: { nodeId: true } });
    throw new TaskHeldElsewhere(taskId, now?.nodeId ?? 'unknown');
  }
  await failRunningDevices(db, taskId, takenOverDeviceError(previous, nodes.self), new Date());
  if (task.cancelRequested) {
    await publishState(deps, await finishCancelled(db, taskId), true);
    return false;
  }
  return true;
}
