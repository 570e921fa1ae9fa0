/**
 * A database whose units of work are timed: each `transaction` and `read`
 * call reports how long its caller waited, from the call until it settled
 * (for a write, until the commit is durable: on SQLite that includes waiting
 * to join the group commit and the batch's fsync; on PostgreSQL the pool,
 * BEGIN and COMMIT). Statements run on `db` outside them are not counted.
 * The store knows no metrics library: it calls `observe`.
 */
import type { Database } from './database.js';

export type UnitOfWork = 'transaction' | 'read';

/** `observe` must not throw (it runs after the work settled, and could not fail it anyway). */
export function observedDatabase<S>(database: Database<S>, observe: (unit: UnitOfWork, seconds: number) => void): Database<S> {
  const timed = <T>(unit: UnitOfWork, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const work = run();
    const report = () => observe(unit, (performance.now() - started) / 1000);
    work.then(report, report);
    return work;
  };
  return {
    dialect: database.dialect,
    db: database.db,
    description: database.description,
    transaction: (fn) => timed('transaction', () => database.transaction(fn)),
    read: (fn) => timed('read', () => database.read(fn)),
    ready: () => database.ready(),
    liveness: () => database.liveness(),
    close: () => database.close(),
  };
}
