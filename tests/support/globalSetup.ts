/** Decides once, before any test file, whether the MySQL runs happen; workers read the result from the environment. */
import { connectServer, MYSQL_SERVER_URL } from './mysql';

export default async function globalSetup(): Promise<void> {
  const mode = process.env.POLYVAULT_TEST_MYSQL;
  if (mode === 'off') {
    process.env.POLYVAULT_TEST_MYSQL_AVAILABLE = '0';
    process.stdout.write('\nMySQL/MariaDB database tests skipped: POLYVAULT_TEST_MYSQL=off\n');
    return;
  }
  try {
    const connection = await connectServer();
    await connection.end();
    process.env.POLYVAULT_TEST_MYSQL_AVAILABLE = '1';
  } catch (error) {
    if (mode === 'required') throw new Error(`POLYVAULT_TEST_MYSQL=required but ${MYSQL_SERVER_URL.replace(/\/\/[^@]*@/, '//***@')} is unreachable: ${(error as Error).message}`);
    process.env.POLYVAULT_TEST_MYSQL_AVAILABLE = '0';
    process.stdout.write(`\nMySQL/MariaDB database tests skipped: no server at ${MYSQL_SERVER_URL.replace(/\/\/[^@]*@/, '//***@')} (set POLYVAULT_TEST_MYSQL=required to make this a failure)\n`);
  }
}
