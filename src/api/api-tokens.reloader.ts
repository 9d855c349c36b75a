import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { parseApiTokens } from '../config/api-tokens';
import type { AppConfig } from '../config/app-config';
import type { BearerAuth } from './bearer-auth';

/**
 * Re-reads ECR_AUTH_API_TOKENS_FILE on SIGHUP, so a token can be rotated without a restart:
 * the one deliberate exception to "configuration is read once". A file that can't be read
 * or holds a bad entry keeps the current tokens (and says so), rather than locking callers out.
 */
export class ApiTokensReloader {
  private readonly onSignal = () => void this.reload();

  constructor(
    private readonly config: AppConfig,
    private readonly auth: BearerAuth,
    private readonly logger: Logger,
  ) {}

  /** Listens for SIGHUP when tokens come from a file. Returns a function that stops it. */
  start(): () => void {
    if (!this.config.apiTokensFile) return () => undefined;
    process.on('SIGHUP', this.onSignal);
    return () => process.off('SIGHUP', this.onSignal);
  }

  async reload(): Promise<boolean> {
    const file = this.config.apiTokensFile;
    if (!file) return false;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      this.logger.error({ file }, 'API tokens file cannot be read; keeping the current tokens');
      return false;
    }
    const parsed = parseApiTokens(text);
    if (parsed.problems.length > 0 || parsed.tokens.length === 0) {
      this.logger.error(
        { file, problems: parsed.problems },
        'API tokens file is invalid or empty; keeping the current tokens',
      );
      return false;
    }
    // Inline tokens (ECR_AUTH_API_TOKENS) stay valid alongside the file's.
    this.auth.replace([...this.config.inlineApiTokens, ...parsed.tokens]);
    this.logger.info({ file, tokens: parsed.tokens.map((t) => t.fingerprint) }, 'API tokens reloaded');
    return true;
  }
}
