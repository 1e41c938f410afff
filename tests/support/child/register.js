// Lets a forked child process load the project's TypeScript sources as they are (the tests' own
// view of the code, not a possibly stale dist/), compiled one file at a time with the project's
// compiler options, as ts-jest does for the test process.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const { config } = ts.readConfigFile(join(__dirname, '..', '..', '..', 'tsconfig.json'), ts.sys.readFile);
const compilerOptions = ts.convertCompilerOptionsFromJson(config.compilerOptions, join(__dirname, '..', '..', '..')).options;
compilerOptions.sourceMap = false;
compilerOptions.inlineSourceMap = true;

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
  module._compile(outputText, filename);
};
