/**
 * The Maast contract's examples are replayed verbatim (examples.test.ts); an example that cannot be
 * parsed must fail the run, not vanish from it.
 */
import { contractSection, isProseOrTemplate, sectionExamples } from './contract';

const doc = (body: string) => `# Contract\n\n### 4.9 Something\n\n${body}\n\n### 4.10 Next\n`;

describe('reading the Maast contract examples', () => {
  it('parses fenced and inline examples of a section', () => {
    const parsed = sectionExamples(doc('Answer:\n```json\n{"code": 0}\n```\nOr `{"code":7,"message":"x"}` inline; see `{customer_id}`.'), '4.9');
    expect(parsed.blocks).toEqual([{ code: 0 }]);
    expect(parsed.inline).toEqual([{ code: 7, message: 'x' }]);
  });

  it('fails on a fenced example that is not JSON', () => {
    expect(() => sectionExamples(doc('```json\n{"code": 0,,}\n```'), '4.9')).toThrow(SyntaxError);
  });

  it('fails on an inline example that is not JSON, naming the section and the text', () => {
    expect(() => sectionExamples(doc('Answer `{"code":7,"message":"x",}`.'), '4.9')).toThrow(/§4\.9.*\{"code":7,"message":"x",\}/);
  });

  it('skips prose and templates in braces, which are not examples', () => {
    for (const text of ['{customer_id}', '{code,message,data}', '{"code":0,"message":"Success","data":<Customer>}', '{"code":2,"data":{"<field path>":"<message>", …}}']) expect(isProseOrTemplate(text)).toBe(true);
    for (const text of ['{"code":7,"message":"x",}', '{"note":"<b>bold</b>",}', '{"a":1 "b":2}']) expect(isProseOrTemplate(text)).toBe(false);
  });

  it('reads every operation section of the real contract (4.1–4.15) without a broken example', () => {
    for (let n = 1; n <= 15; n++) {
      const { blocks, inline } = contractSection(`4.${n}`);
      expect(`4.${n}: ${blocks.length + inline.length > 0}`).toBe(`4.${n}: true`);
    }
  });
});
