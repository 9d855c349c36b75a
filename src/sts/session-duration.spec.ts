import { CHAINED_SESSION_MAX_SECONDS, hopDurationSeconds } from './session-duration';

describe('hopDurationSeconds', () => {
  it.each([
    ['a configured hour is kept', 3600, 3600],
    ['a value inside the range is kept', 1800, 1800],
    ['the STS minimum is kept', 900, 900],
    ['more than the chained-session cap is capped at 3600', 43200, 3600],
    ['one second over the cap is capped', 3601, 3600],
    ['less than the STS minimum is raised to 900', 600, 900],
    ['zero is raised to 900', 0, 900],
  ])('%s (%i → %i)', (_why, configured, expected) => {
    expect(hopDurationSeconds(configured)).toBe(expected);
  });

  it('caps at the one hour STS allows a chained session', () => {
    expect(CHAINED_SESSION_MAX_SECONDS).toBe(3600);
  });
});
