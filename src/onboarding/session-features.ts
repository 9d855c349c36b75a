import type { AppConfig } from '../config/app-config';
import type { SessionFeatures } from '../policies/onboarding-documents';

/** What this deployment sets on customer sessions, so onboarding asks the trust policy for it. */
export function sessionFeaturesOf(config: Pick<AppConfig, 'sourceIdentity' | 'sessionTagKeys'>): SessionFeatures {
  return { sourceIdentity: config.sourceIdentity === 'caller', sessionTags: config.sessionTagKeys.size > 0 };
}
