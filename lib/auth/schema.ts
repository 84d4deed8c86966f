import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from './password-policy';
import { ROLES } from './roles';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, '3-32 characters: a-z, 0-9, dot, dash, underscore.');

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(256, 'At most 256 characters.');

export const roleSchema = z.enum(ROLES, { error: 'Choose admin, operator or viewer.' });

export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().max(64, 'At most 64 characters.').default(''),
  role: roleSchema,
  password: newPasswordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export type UserFieldErrors = Partial<Record<keyof CreateUserInput | 'form', string>>;

export function fieldErrors<K extends string>(error: z.ZodError): Partial<Record<K | 'form', string>> {
  const out: Partial<Record<K | 'form', string>> = {};
  for (const issue of error.issues) {
    const key = ((issue.path[0] as K | undefined) ?? 'form') as K | 'form';
    out[key] ??= issue.message;
  }
  return out;
}
