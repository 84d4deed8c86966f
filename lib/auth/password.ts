import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (salted, memory-hard). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
