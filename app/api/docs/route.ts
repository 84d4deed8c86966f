export const dynamic = 'force-static';

/** A readable reference of /api/v1, rendered in the browser by Swagger UI (served from npm, no CDN). */
export function GET() {
  return new Response(
    `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Switchboard API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`,
    { headers: { 'Content-Type': 'text/html; charset=utf-8' } },
  );
}
