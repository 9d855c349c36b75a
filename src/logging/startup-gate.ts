import type { LoggerService } from '@nestjs/common';

type Level = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/**
 * Nest's logger while the port is being bound. Nest logs "Nest application successfully
 * started" when it initialises, before listening, and again the listen error itself: its
 * lines are held until `open` (listening succeeded) and dropped by `discard` (it failed, and
 * the one "could not start" line says why).
 */
export class StartupGate implements LoggerService {
  private held: Array<[Level, unknown[]]> | undefined = [];

  constructor(private readonly target: LoggerService) {}

  log(...args: unknown[]): void {
    this.pass('log', args);
  }
  error(...args: unknown[]): void {
    this.pass('error', args);
  }
  warn(...args: unknown[]): void {
    this.pass('warn', args);
  }
  debug(...args: unknown[]): void {
    this.pass('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.pass('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.pass('fatal', args);
  }

  /** Writes what was held, in order, and lets every later line through. */
  open(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const [level, args] of held) this.write(level, args);
  }

  /** Forgets what was held; later lines are held (and forgotten) too. */
  discard(): void {
    this.held = [];
  }

  private pass(level: Level, args: unknown[]): void {
    if (this.held) this.held.push([level, args]);
    else this.write(level, args);
  }

  private write(level: Level, [message, ...rest]: unknown[]): void {
    // debug, verbose and fatal are optional on a LoggerService.
    this.target[level]?.(message, ...rest);
  }
}
