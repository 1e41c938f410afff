/** The SQL a piece of work runs, captured from the data source's query log (for query-plan tests). */
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';

export interface LoggedQuery {
  sql: string;
  parameters?: unknown[];
}

export async function captureQueries(dataSource: DataSource, work: () => Promise<unknown>): Promise<LoggedQuery[]> {
  const logged = dataSource as DataSource & { logger: TypeOrmLogger };
  const captured: LoggedQuery[] = [];
  const original = logged.logger;
  const capture = Object.create(original) as TypeOrmLogger;
  capture.logQuery = (sql: string, parameters?: unknown[]) => void captured.push({ sql, parameters });
  (logged as { logger: TypeOrmLogger }).logger = capture;
  try {
    await work();
  } finally {
    (logged as { logger: TypeOrmLogger }).logger = original;
  }
  return captured;
}
