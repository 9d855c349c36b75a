import type { DestinationStream } from 'pino';
import type { Clock } from '../clock/clock';
import type { AppConfig } from '../config/app-config';
import type { Tracing } from '../tracing/tracing';

export interface AppOptions {
  readonly config: AppConfig;
  /** Time source for expiry decisions (tests move it). */
  readonly clock?: Clock;
  /** Where JSON log lines go (default stdout). */
  readonly logStream?: DestinationStream;
  /**
   * Holds Nest's log lines (its start-up lines among them) from the start until
   * `app.flushLogs()`: main flushes once the port is bound, so a start that fails writes only
   * its one "could not start" line. Unset, lines are written as they come.
   */
  readonly holdLogsUntilFlushed?: boolean;
  /** Tracing, when it is on (main starts it before the application is built). */
  readonly tracing?: Tracing;
}
