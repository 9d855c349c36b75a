import { CommandParser, defineScript } from 'redis';

/**
 * The Lua scripts of the shared tier, registered on the client (`createClient({ scripts })`):
 * node-redis sends EVALSHA and falls back to EVAL once per server that has not seen a script.
 * One place for every script.
 */
export const REDIS_SCRIPTS = {
  /**
   * Adds a member to the given SETs (label indexes) and keeps each alive at least `ttlMs`:
   * an index lives as long as its longest-lived entry. An index key of another type (written
   * by something else) is replaced rather than failing every later write for its label.
   * Returns how many index keys were repaired so. The tier passes one index key per call:
   * index keys live in slots of their own, and a script must not span slots in a cluster.
   */
  indexAdd: defineScript({
    SCRIPT: `
local repaired = 0
for _, idx in ipairs(KEYS) do
  local kind = redis.call('TYPE', idx).ok
  if kind ~= 'set' and kind ~= 'none' then
    redis.call('DEL', idx)
    repaired = repaired + 1
  end
  redis.call('SADD', idx, ARGV[1])
  if redis.call('PTTL', idx) < tonumber(ARGV[2]) then redis.call('PEXPIRE', idx, ARGV[2]) end
end
return repaired`,
    parseCommand(parser: CommandParser, indexKeys: readonly string[], member: string, ttlMs: number) {
      parser.pushKeysLength([...indexKeys]);
      parser.push(member, String(ttlMs));
    },
    transformReply: (reply: unknown) => Number(reply),
  }),
  /**
   * One entry's eviction: deletes its value and leaves its tombstone (the eviction time, for
   * `tombTtlMs`), atomically. Both keys share the entry's hash tag. Returns 1 if a value was deleted.
   */
  evictEntry: defineScript({
    SCRIPT: `
local deleted = redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return deleted`,
    parseCommand(parser: CommandParser, valueKey: string, tombKey: string, evictedAt: number, tombTtlMs: number) {
      parser.pushKeysLength([valueKey, tombKey]);
      parser.push(String(evictedAt), String(tombTtlMs));
    },
    transformReply: (reply: unknown) => Number(reply),
  }),
  /**
   * A mint lock's release: deletes the lock only if it still holds the holder's token (a lock
   * that expired and was taken by another replica is not theirs to delete). Returns 1 or 0.
   */
  lockRelease: defineScript({
    SCRIPT: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
    parseCommand(parser: CommandParser, lockKey: string, token: string) {
      // EVALSHA sha numkeys key… arg…: the key count comes first, as in indexAdd.
      parser.pushKeysLength([lockKey]);
      parser.push(token);
    },
    transformReply: (reply: unknown) => Number(reply),
  }),

  /** A mint lock's renewal by its holder: a new lease of `leaseMs`, only while the token is its own. */
  lockExtend: defineScript({
    SCRIPT: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
    parseCommand(parser: CommandParser, lockKey: string, token: string, leaseMs: number) {
      parser.pushKeysLength([lockKey]);
      parser.push(token, String(leaseMs));
    },
    transformReply: (reply: unknown) => Number(reply),
  }),
};
