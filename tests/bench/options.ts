/** Command-line options of `npm run bench -- …`. The defaults are the ones issue 8 asks for. */

export interface BenchOptions {
  db: 'sqlite' | 'mysql';
  /** Seconds measured per scenario (after the warm-up). */
  duration: number;
  warmup: number;
  connections: number;
  /** Customers created through the API before the read scenarios (the ids they read). */
  seed: number;
  /** Only these scenarios (names, comma-separated). */
  scenarios: string[] | null;
  /** Write a V8 CPU profile of the polyvault process and print its top costs. */
  profile: boolean;
  scale: boolean;
  scaleBase: number;
  scaleSize: number;
  /** After the large measurement, run ANALYZE and measure again (what fresh table statistics change). */
  analyze: boolean;
  /** Polyvault's LOG_LEVEL (its access log is part of the cost an operator pays). */
  logLevel: string;
  /** Keep the data directory and databases afterwards. */
  keep: boolean;
  /** Also write the results as JSON to this file. */
  json: string | null;
  mysqlUrl: string;
  /** NODE_OPTIONS for the polyvault process only (e.g. `-r ./experiment.js` to try a change before making it). */
  nodeOptions: string | null;
  /** The import run (issue 16): rows/s and peak RSS of `polyvault import` (tests/bench/importBench.ts). */
  importRun: boolean;
  importRows: number;
}

const HELP = `npm run bench -- [options]
  --db sqlite|mysql        database of both servers (default sqlite; mysql: MariaDB/MySQL at --mysql-url)
  --duration <s>           measured seconds per scenario (default 10)
  --warmup <s>             warm-up seconds before each measurement (default 3)
  --connections <n>        concurrent connections (default 16)
  --seed <n>               customers created through the API before the read scenarios (default 1000)
  --scenarios <a,b>        run only these scenarios
  --profile                --cpu-prof on the polyvault process; prints its top costs
  --scale                  the scale run: bulk-load customers, compare look-ups at --scale-base vs --scale-size
  --scale-base <n>         small size of the scale run (default 10000)
  --scale-size <n>         large size of the scale run (default 1000000)
  --analyze                scale run: then ANALYZE the tables and measure the large size again
  --log-level <level>      polyvault LOG_LEVEL (default info: the access log is part of the cost)
  --mysql-url <url>        server for --db mysql (default mysql://root@127.0.0.1:3306); throw-away databases are created
  --node-options <opts>    NODE_OPTIONS of the polyvault process only (try a change before making it)
  --import                 the import run: rows/s and peak RSS of polyvault import (customers with one card each)
  --import-rows <n>        rows of the generated import file (default 100000)
  --keep                   keep the data directory and databases
  --json <file>            also write the results as JSON`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    db: 'sqlite',
    duration: 10,
    warmup: 3,
    connections: 16,
    seed: 1000,
    scenarios: null,
    profile: false,
    scale: false,
    scaleBase: 10_000,
    scaleSize: 1_000_000,
    analyze: false,
    logLevel: 'info',
    keep: false,
    json: null,
    mysqlUrl: 'mysql://root@127.0.0.1:3306',
    nodeOptions: null,
    importRun: false,
    importRows: 100_000,
  };
  const number = (name: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new Error(`${name} needs a number of at least ${min}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => argv[++i];
    switch (arg) {
      case '--db': {
        const db = value();
        if (db !== 'sqlite' && db !== 'mysql') throw new Error('--db is sqlite or mysql');
        options.db = db;
        break;
      }
      case '--duration':
        options.duration = number(arg, value(), 1);
        break;
      case '--warmup':
        options.warmup = number(arg, value(), 0);
        break;
      case '--connections':
        options.connections = number(arg, value(), 1);
        break;
      case '--seed':
        options.seed = number(arg, value(), 10);
        break;
      case '--scenarios':
        options.scenarios = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--scale':
        options.scale = true;
        break;
      case '--scale-base':
        options.scaleBase = number(arg, value(), 100);
        break;
      case '--scale-size':
        options.scaleSize = number(arg, value(), 100);
        break;
      case '--analyze':
        options.analyze = true;
        break;
      case '--log-level':
        options.logLevel = value();
        break;
      case '--mysql-url':
        options.mysqlUrl = value().replace(/\/+$/, '');
        break;
      case '--node-options':
        options.nodeOptions = value();
        break;
      case '--import':
        options.importRun = true;
        break;
      case '--import-rows':
        options.importRows = number(arg, value(), 1);
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--json':
        options.json = value();
        break;
      case '--help':
      case '-h':
        process.stdout.write(HELP + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${HELP}`);
    }
  }
  if (options.scaleSize < options.scaleBase) throw new Error('--scale-size must be at least --scale-base');
  return options;
}
