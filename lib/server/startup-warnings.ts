import type { Config } from '../config';

/**
 * What a start-up should warn about: settings that work on a laptop but break or weaken a portal
 * others reach. Pure (the config in, the lines out), so each rule is tested without starting one.
 */
export function startupWarnings(config: Pick<Config, 'HOST' | 'NEXTAUTH_URL' | 'TRUST_PROXY' | 'LAB'>): string[] {
  const out: string[] = [];
  const servesNetwork = !['127.0.0.1', 'localhost', '::1'].includes(config.HOST);
  if (!config.NEXTAUTH_URL && (servesNetwork || config.TRUST_PROXY)) {
    out.push(
      `NEXTAUTH_URL is not set while the portal ${config.TRUST_PROXY ? 'sits behind a reverse proxy' : `listens on ${config.HOST}`}: ` +
        'sign-in redirects are built from each request\'s Host header. Set NEXTAUTH_URL to the address people open (e.g. https://switchboard.example.net).',
    );
  }
  if (servesNetwork && config.LAB) {
    out.push(
      'The built-in lab is on while the portal serves the network: its simulated devices are in the inventory. Set LAB=off for a real deployment.',
    );
  }
  return out;
}
