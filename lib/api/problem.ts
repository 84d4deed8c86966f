import type { z } from 'zod';

/**
 * RFC 9457 problem details with a stable `code`. Handlers throw an ApiProblem for an expected
 * failure; the route wrapper turns it into an `application/problem+json` response.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class ApiProblem extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly detail: string,
    public readonly extra: Record<string, unknown> = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemResponse(p: ApiProblem): Response {
  return new Response(
    JSON.stringify({
      type: `urn:switchboard:problem:${p.code}`,
      title: TITLES[p.status] ?? 'Error',
      status: p.status,
      code: p.code,
      detail: p.detail,
      ...p.extra,
    }),
    { status: p.status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...p.headers } },
  );
}

/** Field path → first message, e.g. `devices.3.host`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    out[key] ??= issue.message;
  }
  return out;
}

export const notFound = (what: string) => new ApiProblem(404, 'not_found', `No such ${what}.`);
export const invalid = (errors: Record<string, string>, detail = 'The request has invalid fields.') =>
  new ApiProblem(422, 'invalid', detail, { errors });
