/**
 * server.ts stamps each request with the client's address under this header (after deleting any
 * value the client sent), so code inside Next can throttle and audit by address.
 */
export const PEER_HEADER = 'x-switchboard-peer';
