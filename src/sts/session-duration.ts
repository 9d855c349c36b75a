/** STS caps a session assumed with role credentials (role chaining) at one hour. */
export const CHAINED_SESSION_MAX_SECONDS = 3600;

/**
 * Duration to ask for on a hop. Every hop is treated as chained: the service itself often
 * runs as a role (ECS task, EKS pod, instance profile), which makes even the first hop chained.
 */
export function hopDurationSeconds(configured: number): number {
  return Math.max(900, Math.min(configured, CHAINED_SESSION_MAX_SECONDS));
}
