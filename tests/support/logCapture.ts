/** A real logger (core/logger.ts, redaction and scrubbing included) writing into a string the test reads. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/logger';

export function captureLogger(): { logger: Logger; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => text };
}
