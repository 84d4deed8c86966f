import 'server-only';
import { getCurrentUser, type Authorised } from '@/lib/auth/session';

/**
 * Webhooks and output settings are admin business (lib checks the role again). The user and role
 * are re-read from the database on every call, so a demoted admin is refused at once.
 */
export async function authoriseAdmin(): Promise<Authorised> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'Your session has ended. Sign in again.' };
  if (user.role !== 'admin') return { ok: false, error: 'Your role does not allow this.' };
  return { ok: true, user };
}
