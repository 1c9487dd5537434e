import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * A transaction handle. Use-cases pass it along without knowing it is TypeORM's; only repositories open it.
 */
export interface Tx {
  readonly __brand: 'Tx';
}

export function managerOf(tx: Tx): EntityManager {
  return tx as unknown as EntityManager;
}

export const DATA_SOURCE = Symbol('DATA_SOURCE');

@Injectable()
export class Db implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) readonly dataSource: DataSource) {}

  /** Runs fn in one READ COMMITTED transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((m) => fn(m as unknown as Tx));
  }

  /** The manager to use: the transaction's when given, else the pool's. */
  manager(tx?: Tx): EntityManager {
    return tx ? managerOf(tx) : this.dataSource.manager;
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
