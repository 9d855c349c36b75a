/** What a runtime warning becomes in the log: a key to log it once by, the fields, the message. */
export interface WarningLine {
  readonly key: string;
  readonly fields: { warning: { name: string; code?: string } };
  readonly message: string;
}

/** Where warnings are written once the service's logger exists. */
export interface WarningLogger {
  warn(fields: object, message: string): void;
}

type WarningEvents = Pick<NodeJS.EventEmitter, 'listeners' | 'removeListener' | 'on'>;

/**
 * A warning as one log line: `<name>[ <code>]: <message>` on one line (the SDK's Node-version
 * warning spans seven), with name and code as fields for filtering.
 */
export function warningLine(warning: Error): WarningLine {
  const name = warning.name || 'Warning';
  const code = (warning as { code?: unknown }).code;
  const detail = (warning as { detail?: unknown }).detail;
  const text = [warning.message, typeof detail === 'string' ? detail : '']
    .join('\n')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const head = typeof code === 'string' && code ? `${name} ${code}` : name;
  return {
    key: `${head}\n${text}`,
    fields: { warning: typeof code === 'string' && code ? { name, code } : { name } },
    message: `${head}: ${text}`,
  };
}

/**
 * Takes runtime warnings (`process.emitWarning`, e.g. the AWS SDK's Node-version warning) away
 * from Node's plain-text printer on stderr: each distinct warning is logged once, at `warn`,
 * through the logger given to `attach`; warnings emitted before that wait for it. With
 * warnings turned off (`--no-warnings`, NODE_NO_WARNINGS=1) Node installs no printer, and
 * none are logged either.
 */
export class ProcessWarnings {
  private readonly seen = new Set<string>();
  private pending: WarningLine[] = [];
  private logger?: WarningLogger;

  private constructor() {}

  /** `events` is the process (a plain EventEmitter in specs). */
  static install(events: WarningEvents = process): ProcessWarnings {
    const warnings = new ProcessWarnings();
    const printers = events.listeners('warning') as Array<(w: Error) => void>;
    if (printers.length === 0) return warnings;
    for (const printer of printers) events.removeListener('warning', printer);
    events.on('warning', (w: Error) => warnings.take(w));
    return warnings;
  }

  /** From now on warnings go to `logger`; those that waited are written first. */
  attach(logger: WarningLogger): void {
    this.logger = logger;
    const waiting = this.pending;
    this.pending = [];
    for (const line of waiting) logger.warn(line.fields, line.message);
  }

  private take(warning: Error): void {
    const line = warningLine(warning);
    if (this.seen.has(line.key)) return;
    this.seen.add(line.key);
    if (this.logger) this.logger.warn(line.fields, line.message);
    else this.pending.push(line);
  }
}
