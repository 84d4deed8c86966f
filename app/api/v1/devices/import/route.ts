import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, parseBody, readBody, readBoundedBody, readQuery } from '@/lib/api/route';
import { deviceImportJsonSchema, deviceImportQuery } from '@/lib/api/schemas';
import { IMPORT_MAX_BYTES } from '@/lib/devices/import/columns';
import { importDevices, type ImportInput } from '@/lib/devices/import/import-devices';

export const dynamic = 'force-dynamic';

/** A text/csv body of at most IMPORT_MAX_BYTES, as UTF-8. */
async function readCsv(req: Request): Promise<string> {
  const body = await readBoundedBody(
    req,
    IMPORT_MAX_BYTES,
    () =>
      new ApiProblem(
        413,
        'body_too_large',
        `The file is larger than ${IMPORT_MAX_BYTES} bytes (IMPORT_MAX_BYTES); split it.`,
      ),
  );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ApiProblem(400, 'not_utf8', 'The file is not UTF-8 text: save it as "CSV UTF-8".');
  }
}

/**
 * Import devices from CSV (text/csv) or JSON ({"rows":[…]}): a dry run by default; with
 * dry_run=false every row is applied in one transaction, or none when any row is an error (422).
 */
export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const { dry_run } = readQuery(req, deviceImportQuery);
  const type = req.headers.get('content-type') ?? '';
  let input: ImportInput;
  if (/^text\/csv\s*(;|$)/i.test(type)) input = { csv: await readCsv(req) };
  else if (/^application\/json\s*(;|$)/i.test(type))
    input = { rows: parseBody(deviceImportJsonSchema, await readBody(req, ctx)).rows };
  else
    throw new ApiProblem(
      415,
      'unsupported_media_type',
      'Send the rows as text/csv or as application/json {"rows":[…]}.',
    );
  const r = await importDevices(ctx.actor, input, { apply: dry_run === 'false' }, ctx.services);
  if (!r.ok) {
    if (r.code === 'forbidden') throw new ApiProblem(403, 'role', r.message);
    if (r.code === 'conflict') throw new ApiProblem(409, 'conflict', r.message);
    throw new ApiProblem(422, 'invalid_file', r.message);
  }
  const body = { rows: r.rows, summary: r.summary, applied: r.applied, groups_created: r.groupsCreated };
  if (dry_run === 'false' && !r.applied)
    throw new ApiProblem(
      422,
      'import_has_errors',
      `${r.summary.error} row${r.summary.error === 1 ? ' has an error' : 's have errors'}; nothing was applied.`,
      body,
    );
  return json(body);
});
