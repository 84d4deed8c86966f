/**
 * The command line (after `node`) that makes an admin's write token with `npm run token`
 * (lib/auth/token-cli.ts), as a newcomer would: for the e2e specs and the browser benchmark.
 */
export function adminTokenCliArgs(name: string, extra: string[] = []): string[] {
  return [
    '--import',
    'tsx',
    'lib/auth/token-cli.ts',
    'create',
    '--user',
    'admin',
    '--name',
    name,
    '--scope',
    'write',
    ...extra,
  ];
}
