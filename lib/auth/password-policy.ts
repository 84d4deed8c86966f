/** Password policy shared by forms (browser) and the server. */
export const PASSWORD_MIN_LENGTH = 12;
