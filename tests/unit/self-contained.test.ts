/**
 * The repository is self-contained: `npm test` on a fresh clone reads nothing outside it. Two checks:
 * every source, test, config and doc file is scanned for paths that leave the repository (relative
 * paths climbing above its root, machine paths such as a home or work folder, the reference folder
 * the project was written from), and the fixture-reading helpers are run while every file read is
 * recorded, so a helper that reads outside fails here even when the path is built at run time.
 */
import fs = require('node:fs');
import { dirname, extname, join, relative, resolve } from 'node:path';
import { loadExactSpec } from '../dialects/exact/openapi';
import { contractSection } from '../dialects/maast/contract';
import { loadSpecValidators } from '../dialects/maast/openapi';
import { seedExampleRequest, seedExampleResponse } from '../dialects/maast/support';
import { insideRepository, PROVIDER_FIXTURES, REPO_ROOT } from '../support/fixtures';
import { maastAddCustomerExample } from '../support/seeds';

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'data', 'coverage', '.git', '.requests']);
const SCANNED_EXTENSIONS = new Set(['.ts', '.js', '.json', '.md', '.yaml', '.yml', '.sh', '']);
/** Copied third-party documents: their own text may name any path; their headers say where they came from. */
const VERBATIM = new Set(['maast-platform-openapi.yaml', 'exact-openapi.yaml', 'maast-add-a-customer.txt']);

function repositoryFiles(dir: string = REPO_ROOT, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIPPED_DIRECTORIES.has(entry.name)) continue; // .git is a file in a worktree
    if (entry.isDirectory()) {
      repositoryFiles(path, out);
    } else if (entry.isFile() && SCANNED_EXTENSIONS.has(extname(entry.name)) && entry.name !== 'package-lock.json' && !VERBATIM.has(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** Machine folders a checkout never lives in on another machine, and the reference folder's own sub-folders. */
const OUTSIDE_PATTERNS: Array<[RegExp, string]> = [
  [/(?<![\w.~-])\/(?:work|home|Users|mnt)\/[\w.-]/, 'an absolute path on this machine'],
  [/(?<![\w-])shared\/(?:dialects|specs|seeds|wallets|hooks)\/|(?<![\w-])shared\/DESIGN\.md/, 'the reference folder outside the repository'],
];

const LITERAL = /(['"`])(\.\.?\/[^'"`\s]*)\1/g;
const MARKDOWN_LINK = /\]\((\.\.?\/[^)\s#]*)/g;
const FROM_DIRNAME = /\b(?:join|resolve)\(\s*__dirname((?:\s*,\s*(['"`])[^'"`]*\2)+)\s*\)/g;

export interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Every place in `text` (the contents of `file`) that names a path outside the repository. */
export function outsidePaths(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const at = (index: number): number => text.slice(0, index).split('\n').length;
  const report = (index: number, why: string): void => {
    const line = at(index);
    findings.push({ file: relative(REPO_ROOT, file), line, text: text.split('\n')[line - 1].trim(), why });
  };
  for (const [pattern, why] of OUTSIDE_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) report(match.index ?? 0, why);
  }
  const here = dirname(file);
  for (const match of text.matchAll(LITERAL)) {
    if (!insideRepository(resolve(here, match[2]))) report(match.index ?? 0, `${match[2]} leaves the repository`);
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      if (!insideRepository(resolve(here, match[1]))) report(match.index ?? 0, `link ${match[1]} leaves the repository`);
    }
  }
  for (const match of text.matchAll(FROM_DIRNAME)) {
    const segments = [...match[1].matchAll(/(['"`])([^'"`]*)\1/g)].map((segment) => segment[2]);
    if (!insideRepository(resolve(here, ...segments))) report(match.index ?? 0, `__dirname + ${segments.join('/')} leaves the repository`);
  }
  return findings;
}

describe('the repository is self-contained', () => {
  it('no source, test, config or doc file names a path outside the repository', () => {
    const files = repositoryFiles();
    // The scan covers the whole tree, not a corner of it.
    for (const expected of ['config/index.ts', 'tests/dialects/exact/openapi.ts', 'docs/dialects/maast.md', 'bin/polyvault.js', 'jest.config.js', 'README.md']) {
      expect(files.map((file) => relative(REPO_ROOT, file))).toContain(expected);
    }
    const findings = files.flatMap((file) => outsidePaths(file, fs.readFileSync(file, 'utf8')));
    expect(findings).toEqual([]);
  });

  it('the scan finds each kind of path that leaves the repository', () => {
    const file = join(REPO_ROOT, 'tests', 'dialects', 'maast', 'example.ts');
    // Built from pieces, so that this file does not itself contain what it looks for.
    const up = '../'.repeat(4);
    const reference = 'shared';
    const cases = [
      `const SPEC = join(__dirname, '${up}${reference}/specs/x.yaml');`,
      `const SPEC = '${up}somewhere/x.yaml';`,
      `const DIR = join(__dirname, ${Array(4).fill("'..'").join(', ')}, 'elsewhere');`,
      `const FALLBACK = '/${'work'}/reference/x.yaml';`,
      `// contract: ${reference}/dialects/maast.md`,
    ];
    for (const text of cases) expect(outsidePaths(file, text)).not.toEqual([]);
    expect(outsidePaths(join(REPO_ROOT, 'docs', 'x.md'), `see [the contract](${up}${reference}/x.md)`)).not.toEqual([]);
    // …and passes what stays inside.
    expect(outsidePaths(file, `import { x } from '../../support/fixtures'; join(__dirname, '..', '..', 'fixtures');`)).toEqual([]);
  });

  it("the fixture helpers read only files inside the repository, and all the providers' documents come from tests/fixtures", () => {
    const read: string[] = [];
    const record = <T extends (...args: never[]) => unknown>(name: 'readFileSync' | 'existsSync' | 'openSync' | 'statSync') => {
      const original = fs[name] as unknown as T;
      return jest.spyOn(fs, name).mockImplementation(((path: fs.PathLike, ...rest: unknown[]) => {
        read.push(resolve(String(path)));
        return (original as unknown as (...args: unknown[]) => unknown)(path, ...rest);
      }) as never);
    };
    const spies = [record('readFileSync'), record('existsSync'), record('openSync'), record('statSync')];
    try {
      maastAddCustomerExample();
      seedExampleRequest();
      seedExampleResponse();
      contractSection('4.1');
      loadSpecValidators().assertValid('QPApiResponse', { code: 0, message: 'Success' });
      loadExactSpec().expectConforms('NotFoundError', { code: 'not-found-error', message: 'Not found' });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(read.filter((path) => !insideRepository(path))).toEqual([]);
    const fixtures = new Set(read.filter((path) => path.startsWith(PROVIDER_FIXTURES + '/')).map((path) => relative(PROVIDER_FIXTURES, path)));
    expect([...fixtures].sort()).toEqual(['exact-openapi.yaml', 'maast-add-a-customer.txt', 'maast-endpoint-examples.md', 'maast-platform-openapi.yaml']);
  });
});
