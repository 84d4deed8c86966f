import 'server-only';
import type { CurrentUser } from '@/lib/auth/session';
import type { TemplateView } from '@/lib/automation/templates';
import { VENDORS, type Vendor } from '@/lib/devices/schema';
import type { PrismaClient } from '@/lib/db/generated/client';
import type { TemplateFormValues } from './template-form';

/** The teams a user may share a template with: every team for admins, their own for others. */
export async function teamsFor(db: PrismaClient, user: CurrentUser) {
  return db.team.findMany({
    where: user.role === 'admin' ? {} : { members: { some: { userId: user.id } } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  });
}

/** A stored template as the form's fields. */
export function formValuesOf(t: TemplateView): TemplateFormValues {
  const text = (steps: { command: string }[] | undefined) => (steps ?? []).map((c) => c.command).join('\n');
  const vendorCommands: Partial<Record<Vendor, string>> = {};
  for (const v of VENDORS) if (t.vendorSteps[v]) vendorCommands[v] = text(t.vendorSteps[v]);
  return {
    name: t.name,
    description: t.description,
    teamId: t.teamId,
    commands: text(t.steps),
    vendorCommands,
    concurrency: t.concurrency,
    timeoutSeconds: Math.round(t.timeoutMs / 1000),
    inputs: t.inputs,
    ignorePatterns: t.ignorePatterns.join('\n'),
    failurePatterns: t.failurePatterns.join('\n'),
    expectOutput: t.expectOutput ?? '',
  };
}

export const EMPTY_TEMPLATE: TemplateFormValues = {
  name: '',
  description: '',
  teamId: null,
  commands: '',
  vendorCommands: {},
  concurrency: 10,
  timeoutSeconds: 60,
  inputs: [],
  ignorePatterns: '',
  failurePatterns: '',
  expectOutput: '',
};
