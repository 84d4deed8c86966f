import { getCurrentUser } from '@/lib/auth/session';
import { historyDownload } from '@/lib/devices/history-page';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One stored version of a device's output as a text file (`<device>-<template>-<date>.txt`), for
 * someone who may see the device, as its page is. A version of another device, or of a template
 * the user does not see, is not found.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; versionId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id, versionId } = await params;
  const file =
    ID.test(id) && ID.test(versionId) ? await historyDownload(user, id, versionId, getRuntime()) : null;
  if (!file) return Response.json({ error: 'No such version.' }, { status: 404 });
  return new Response(file.text, {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
