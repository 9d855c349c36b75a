import { EventEmitter } from 'node:events';
import { ProcessWarnings, warningLine } from './process-warnings';

function warning(message: string, fields: { name?: string; code?: string; detail?: string } = {}): Error {
  const w = new Error(message);
  w.name = fields.name ?? 'Warning';
  Object.assign(w, fields.code ? { code: fields.code } : {}, fields.detail ? { detail: fields.detail } : {});
  return w;
}

describe('warningLine', () => {
  it.each([
    {
      why: "the AWS SDK's Node-version warning (a plain Warning over seven lines) becomes one line",
      w: warning('NodeVersionSupportWarning: The AWS SDK\nversions published after\n\nwill require node >=22.'),
      fields: { warning: { name: 'Warning' } },
      message: 'Warning: NodeVersionSupportWarning: The AWS SDK versions published after will require node >=22.',
    },
    {
      why: 'a named warning with a code keeps both, as fields and in the message',
      w: warning('Possible EventEmitter memory leak detected.', { name: 'MaxListenersExceededWarning' }),
      fields: { warning: { name: 'MaxListenersExceededWarning' } },
      message: 'MaxListenersExceededWarning: Possible EventEmitter memory leak detected.',
    },
    {
      why: 'a deprecation with its code and detail',
      w: warning('Buffer() is deprecated', { name: 'DeprecationWarning', code: 'DEP0005', detail: 'Use Buffer.from.' }),
      fields: { warning: { name: 'DeprecationWarning', code: 'DEP0005' } },
      message: 'DeprecationWarning DEP0005: Buffer() is deprecated Use Buffer.from.',
    },
  ])('$why', ({ w, fields, message }) => {
    expect(warningLine(w)).toMatchObject({ fields, message });
  });
});

describe('ProcessWarnings', () => {
  const logged = () => {
    const lines: Array<[object, string]> = [];
    return { lines, logger: { warn: (f: object, m: string) => void lines.push([f, m]) } };
  };

  it('replaces the printer, holds warnings until a logger is attached, and logs each distinct one once', () => {
    const events = new EventEmitter();
    const printed: Error[] = [];
    events.on('warning', (w: Error) => printed.push(w));
    const warnings = ProcessWarnings.install(events);
    events.emit('warning', warning('first'));
    events.emit('warning', warning('first'));
    const { lines, logger } = logged();
    warnings.attach(logger);
    events.emit('warning', warning('second'));
    events.emit('warning', warning('first'));
    events.emit('warning', warning('second', { name: 'OtherWarning' }));
    expect(printed).toEqual([]);
    expect(lines.map(([, m]) => m)).toEqual(['Warning: first', 'Warning: second', 'OtherWarning: second']);
  });

  it('with warnings turned off (no printer installed) logs none', () => {
    const events = new EventEmitter();
    const warnings = ProcessWarnings.install(events);
    const { lines, logger } = logged();
    warnings.attach(logger);
    events.emit('warning', warning('quiet'));
    expect(lines).toEqual([]);
    expect(events.listenerCount('warning')).toBe(0);
  });
});
