'use client';

import type { GrantLevel } from '@/lib/devices/visibility';
import { GrantsEditor, type GrantedDevice } from '../../groups/_components/grants-editor';
import { setTeamGrantsAction } from '../actions';

/** A team's grants: groups and devices, each with a level (a group's may include observing), saved as one set. */
export function TeamGrantsForm({
  teamId,
  groups,
  initial,
}: {
  teamId: string;
  groups: { id: string; name: string; devices: number }[];
  initial: { groups: { id: string; level: GrantLevel; observe: boolean }[]; devices: GrantedDevice[] };
}) {
  return (
    <GrantsEditor
      groups={groups}
      initial={initial}
      newLevel="operate"
      observe
      save={(set) => setTeamGrantsAction(teamId, set)}
    />
  );
}
