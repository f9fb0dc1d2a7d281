/**
 * One `Set-Cookie` value for a cookie of ours: always `HttpOnly` (no script reads it) and
 * `Secure` (browsers keep `Secure` cookies on http://127.0.0.1 too, so `npm start` behaves as
 * deployed), scoped to a path, with `SameSite` chosen by the caller. `maxAgeSeconds` 0 clears it.
 */
export function setCookie(
  name: string,
  value: string,
  options: { path: string; sameSite: 'Strict' | 'Lax'; maxAgeSeconds?: number },
): string {
  const maxAge = options.maxAgeSeconds === undefined ? '' : `; Max-Age=${options.maxAgeSeconds}`;
  return `${name}=${value}; Path=${options.path || '/'}; HttpOnly; Secure; SameSite=${options.sameSite}${maxAge}`;
}
