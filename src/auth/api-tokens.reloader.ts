import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { parseApiTokens } from '../config/api-tokens';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BearerAuth } from './bearer-auth';

/**
 * Re-reads ECR_AUTH_API_TOKENS_FILE on SIGHUP, so a token can be rotated without a restart:
 * the one deliberate exception to "configuration is read once". A file that can't be read
 * or holds a bad entry keeps the current tokens (and says so), rather than locking callers out.
 */
@Injectable()
export class ApiTokensReloader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ApiTokens');
  private readonly onSignal = () => void this.reload();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: BearerAuth,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.apiTokensFile) process.on('SIGHUP', this.onSignal);
  }

  onApplicationShutdown(): void {
    process.off('SIGHUP', this.onSignal);
  }

  /** Reads the file again; true when the new tokens replaced the old ones. */
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
    this.logger.log({ file, tokens: parsed.tokens.map((t) => t.fingerprint) }, 'API tokens reloaded');
    return true;
  }
}
