'use client';

import type { GrantLevel } from '@/lib/devices/visibility';
import { GrantsEditor, type GrantedDevice } from '../../groups/_components/grants-editor';
import { setGrantsAction } from '../actions';

/** A user's own grants: groups and devices, each with a level, saved as one set. */
export function GrantsForm({
  userId,
  groups,
  initial,
  newLevel,
  capNote,
}: {
  userId: string;
  groups: { id: string; name: string; devices: number }[];
  initial: { groups: { id: string; level: GrantLevel }[]; devices: GrantedDevice[] };
  newLevel: GrantLevel;
  capNote?: string;
}) {
  return (
    <GrantsEditor
      groups={groups}
      initial={initial}
      newLevel={newLevel}
      capNote={capNote}
      save={(set) => setGrantsAction(userId, set)}
    />
  );
}
