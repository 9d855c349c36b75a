/**
 * Whether a URL's hostname is this machine: 127.0.0.0/8, [::1] or localhost. Plain HTTP there
 * never leaves the machine, so the service (a JWKS URI) and the helpers (the service URL)
 * accept it without TLS. Imports nothing: the helpers' executables stay light.
 */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
