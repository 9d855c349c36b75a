import { KeyedFlights, SingleFlight } from './single-flight';
import { deferred } from '../../test/fixtures/deferred';

describe('KeyedFlights', () => {
  it('runs the work once per key while it runs; joiners share the result', async () => {
    const flights = new KeyedFlights<string, number>();
    const gate = deferred<number>();
    let runs = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const a = flights.run('k', work);
    const b = flights.run('k', work);
    expect(flights.current('k')).toBe(a);
    expect(b).toBe(a);
    gate.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(runs).toBe(1);
    expect(flights.current('k')).toBeUndefined();
    expect(flights.size).toBe(0);
  });

  it('shares a failure with every joiner, then lets the next caller run again', async () => {
    const flights = new KeyedFlights<string, number>();
    const gate = deferred<number>();
    const a = flights.run('k', () => gate.promise);
    const b = flights.run('k', () => Promise.resolve(0));
    gate.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    expect(await flights.run('k', () => Promise.resolve(2))).toBe(2);
  });

  it('keeps keys apart', async () => {
    const flights = new KeyedFlights<string, string>();
    const [x, y] = [flights.run('x', async () => 'x'), flights.run('y', async () => 'y')];
    expect(x).not.toBe(y);
    expect(await Promise.all([x, y])).toEqual(['x', 'y']);
  });

  it('turns work that throws synchronously into a shared rejection', async () => {
    const flights = new KeyedFlights<string, number>();
    const thrower = (): Promise<number> => {
      throw new Error('sync');
    };
    await expect(flights.run('k', thrower)).rejects.toThrow('sync');
    expect(flights.size).toBe(0);
  });
});

describe('SingleFlight', () => {
  it('is one run at a time for every caller', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    const a = flight.run(() => gate.promise);
    const b = flight.run(() => Promise.resolve(0));
    expect(flight.running).toBe(true);
    gate.resolve(1);
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    expect(flight.running).toBe(false);
  });
});
