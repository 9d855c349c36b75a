import type { LoggerService } from '@nestjs/common';
import { StartupGate } from './startup-gate';

function target() {
  const lines: string[] = [];
  const service: LoggerService = {
    log: (m: unknown, ...rest: unknown[]) => void lines.push(['log', m, ...rest].join(' ')),
    error: (m: unknown, ...rest: unknown[]) => void lines.push(['error', m, ...rest].join(' ')),
    warn: (m: unknown, ...rest: unknown[]) => void lines.push(['warn', m, ...rest].join(' ')),
  };
  return { lines, service };
}

describe('StartupGate', () => {
  it('holds lines until open, then writes them in order and lets later lines through', () => {
    const { lines, service } = target();
    const gate = new StartupGate(service);
    gate.log('Nest application successfully started', 'NestApplication');
    gate.warn('w');
    gate.debug('no debug on the target: skipped');
    expect(lines).toEqual([]);
    gate.open();
    gate.error('later');
    expect(lines).toEqual(['log Nest application successfully started NestApplication', 'warn w', 'error later']);
  });

  it('discard forgets what was held (the listen failed)', () => {
    const { lines, service } = target();
    const gate = new StartupGate(service);
    gate.log('Nest application successfully started');
    gate.error('Error: listen EADDRINUSE');
    gate.discard();
    gate.log('after');
    expect(lines).toEqual([]);
  });
});
