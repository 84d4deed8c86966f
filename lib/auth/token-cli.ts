/**
 * Personal access tokens from the command line (automation and first set-up), against the
 * configured database, with the portal running or stopped:
 *   npm run token -- create --user <name> --name <label> [--scope read|write] [--expires 30d|never]
 *   npm run token -- list [--user <name>]
 *   npm run token -- revoke --id <token id>
 * `create` prints the token alone on its last line (shown once; only its hash is stored).
 */
import { parseArgs } from 'node:util';
import { createAudit } from '../audit';
import { ConfigError, getConfig } from '../config';
import { createPrismaClient } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { createLogger } from '../log';
import { isRole } from './roles';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens';

const USAGE = `Usage:
  npm run token -- create --user <name> --name <label> [--scope read|write] [--expires 30d|12h|never]
  npm run token -- list [--user <name>]
  npm run token -- revoke --id <token id>`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string', default: 'read' },
      expires: { type: 'string', default: '90d' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) fail(USAGE);
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (err: unknown) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  await migrateDatabase(config.DATABASE_URL);
  const db = createPrismaClient(config.DATABASE_URL);
  const log = createLogger('warn');
  const deps = { db, audit: createAudit(db, log) };
  try {
    const findUser = async (username: string | undefined) => {
      if (!username) fail(`--user is required.\n${USAGE}`);
      const user = await db.user.findUnique({ where: { username: username.trim().toLowerCase() } });
      if (!user || !isRole(user.role)) fail(`No user named "${username}".`);
      if (user.disabled) fail(`The user "${username}" is disabled.`);
      return { id: user.id, role: user.role };
    };
    if (command === 'create') {
      const user = await findUser(values.user);
      const r = await createApiToken(
        user,
        { name: values.name ?? '', scope: values.scope, expires: values.expires },
        deps,
        'cli',
      );
      if (!r.ok)
        fail(
          Object.entries(r.errors)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        );
      process.stdout.write(
        `Token "${r.view.name}" for ${r.view.username} (${r.view.scope}, ` +
          `${r.view.expiresAt ? `expires ${r.view.expiresAt}` : 'no expiry'}). It is shown once:\n${r.token}\n`,
      );
    } else if (command === 'list') {
      const actor = values.user ? await findUser(values.user) : { id: '', role: 'admin' as const };
      const tokens = await listApiTokens(actor, deps, { everyone: !values.user });
      for (const t of tokens)
        process.stdout.write(
          `${t.id}  ${t.prefix}…  ${t.username}  ${t.name}  ${t.scope}  ` +
            `${t.revokedAt ? 'revoked' : t.expiresAt ? `expires ${t.expiresAt}` : 'no expiry'}  ` +
            `last used ${t.lastUsedAt ?? 'never'}\n`,
        );
    } else if (command === 'revoke') {
      if (!values.id) fail(`--id is required.\n${USAGE}`);
      const r = await revokeApiToken({ id: '', role: 'admin' }, values.id, deps);
      if (!r.ok) fail(r.error);
      process.stdout.write(`Revoked "${r.view.name}" of ${r.view.username}.\n`);
    } else {
      fail(USAGE);
    }
  } finally {
    await db.$disconnect();
  }
}

await main();
