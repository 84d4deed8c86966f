import { withAuth } from 'next-auth/middleware';

// Signed-out visitors go to /login. Excluded: routes that answer without a session, and the REST
// API (/api/v1 authenticates every request itself, with a bearer token or the session), and the
// favicon (the sign-in page shows it too).
export default withAuth({ pages: { signIn: '/login' } });

export const config = {
  matcher: [
    '/((?!login|api/auth|api/health|api/ready|api/metrics|api/v1/|api/docs|_next/static|_next/image|favicon.ico|icon.svg|ws/).*)',
  ],
};
