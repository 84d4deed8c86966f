'use client';

/**
 * The root layout itself failed (so no messages, no theme, no navigation): a bare page in both
 * languages with a way to try again.
 */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body
        style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', maxWidth: '40rem', margin: '0 auto' }}
      >
        <h1>Switchboard could not show this page · 无法显示此页面</h1>
        <p>
          The error was logged. Try again; if it keeps happening, tell your administrator the reference below.
          · 错误已记录。请重试；如果问题持续出现，请把下面的参考编号告诉管理员。
        </p>
        {error.digest && <p style={{ fontFamily: 'monospace' }}>{error.digest}</p>}
        <button type="button" onClick={() => reset()}>
          Try again · 重试
        </button>
      </body>
    </html>
  );
}
