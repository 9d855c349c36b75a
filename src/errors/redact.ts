/**
 * Strips what must not travel further from an error message (AWS's above all): quoted values
 * (STS's validation messages quote the offending input, which may be an external ID), URLs,
 * and anything shaped like a key or a token. Keeps the reason, on one line, at most 400
 * characters. Used where upstream failures are classified and where unexpected causes are logged.
 */
export function redactMessage(message: string): string {
  return message
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/Value '[^']*'/g, 'Value [redacted]')
    .replace(/Value "[^"]*"/g, 'Value [redacted]')
    .replace(/https?:\/\/\S+/g, '[url]')
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[key]')
    .replace(/[A-Za-z0-9+/=_-]{40,}/g, '[redacted]')
    .slice(0, 400)
    .trim();
}
