import type { DestinationStream } from 'pino';
import type { Clock } from '../clock/clock';
import type { AppConfig } from '../config/app-config';

export interface AppOptions {
  readonly config: AppConfig;
  /** Time source for expiry decisions (tests move it). */
  readonly clock?: Clock;
  /** Where JSON log lines go (default stdout). */
  readonly logStream?: DestinationStream;
}
