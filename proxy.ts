import { withAuth } from 'next-auth/middleware';

// Signed-out visitors go to /login; API routes that must answer without a session are excluded.
export default withAuth({ pages: { signIn: '/login' } });

export const config = {
  matcher: ['/((?!login|api/auth|api/health|api/metrics|_next/static|_next/image|favicon.ico|ws/).*)'],
};
