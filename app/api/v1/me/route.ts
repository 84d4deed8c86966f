import { apiRoute, json } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

/** Who this token (or session) acts as, its scope and expiry. */
export const GET = apiRoute({}, async (_req, ctx) =>
  json({
    id: ctx.actor.id,
    username: ctx.actor.username,
    role: ctx.actor.role,
    via: ctx.token ? 'token' : 'session',
    token: ctx.token
      ? {
          name: ctx.token.name,
          scope: ctx.token.scope,
          expires_at: ctx.token.expiresAt?.toISOString() ?? null,
        }
      : null,
  }),
);
