import { ApiProblem, problemResponse } from '@/lib/api/problem';

export const dynamic = 'force-dynamic';

// Without this, an unknown /api address would fall through to the portal's catch-all page and a
// token client would be sent to the sign-in page instead of getting a 404 it can read.
const missing = () => problemResponse(new ApiProblem(404, 'not_found', 'No such API endpoint.'));

export const GET = missing;
export const POST = missing;
export const PUT = missing;
export const PATCH = missing;
export const DELETE = missing;
