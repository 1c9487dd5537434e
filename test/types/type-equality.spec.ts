import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The compile-time contract (client-contract.ts) is only worth something if `Expect<Equal<…>>` fails to compile
 * when two shapes differ. This compiles small files with the TypeScript compiler, importing the real Equal and the
 * client's real Json, and reads the diagnostics.
 */
const dir = mkdtempSync(join(tmpdir(), 'tocsin-type-equality-'));
const EQUALITY = resolve(__dirname, 'type-equality').replace(/\\/g, '/');
const JSON_TYPE = resolve(__dirname, '../../libs/client/src/json').replace(/\\/g, '/');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMPILES = [
  ['the same shape', '{ id: string; n: number | null }', '{ id: string; n: number | null }'],
  [
    'a Date read as the ISO string JSON carries',
    '{ at: Date; tags: readonly string[] }',
    '{ at: string; tags: readonly string[] }',
  ],
  [
    'nested dates and lists',
    '{ items: { at: Date }[]; next: string | null }',
    '{ items: { at: string }[]; next: string | null }',
  ],
] as const;
const FAILS = [
  ['a field the client lacks', '{ id: string; extra: number }', '{ id: string }'],
  ['a field the server lacks', '{ id: string }', '{ id: string; extra: number }'],
  ['an optional field made required', '{ id?: string }', '{ id: string }'],
  ['a union of literals widened to string', "{ status: 'ok' | 'degraded' }", '{ status: string }'],
  ['a nullable field made non-null', '{ seq: number | null }', '{ seq: number }'],
  ['a Date the client keeps as a Date', '{ at: Date }', '{ at: Date }'],
  ['an answer wrapped in a page', '{ id: string }[]', '{ items: { id: string }[] }'],
  ['any on the client side', '{ id: string }', 'any'],
] as const;

let compiled: Map<string, readonly ts.Diagnostic[]> | undefined;

/** The diagnostics of the file asserting `Expect<Equal<Json<server>, client>>` for each case (one program for all). */
function diagnosticsOf(server: string, client: string): readonly ts.Diagnostic[] {
  if (!compiled) {
    const files = new Map<string, string>();
    [...COMPILES, ...FAILS].forEach(([, s, c], i) => {
      const file = join(dir, `check-${i}.ts`).replace(/\\/g, '/');
      writeFileSync(
        file,
        [
          `import type { Equal, Expect } from '${EQUALITY}';`,
          `import type { Json } from '${JSON_TYPE}';`,
          `type Server = ${s};`,
          `type Client = ${c};`,
          'export type Check = Expect<Equal<Json<Server>, Client>>;',
        ].join('\n'),
      );
      files.set(`${s}|${c}`, file);
    });
    const program = ts.createProgram([...files.values()], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      types: [],
    });
    const all = ts.getPreEmitDiagnostics(program);
    compiled = new Map(
      [...files].map(([k, file]) => [k, all.filter((d) => d.file?.fileName.replace(/\\/g, '/') === file)]),
    );
    expect(all.filter((d) => !d.file || ![...files.values()].includes(d.file.fileName.replace(/\\/g, '/')))).toEqual(
      [],
    );
  }
  return compiled.get(`${server}|${client}`) ?? [];
}

describe('Expect<Equal<Json<server answer>, client type>>', () => {
  it.each(COMPILES)('compiles for %s', (_name, server, client) => {
    expect(diagnosticsOf(server, client).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it.each(FAILS)('fails to compile for %s', (_name, server, client) => {
    const diagnostics = diagnosticsOf(server, client);
    expect(diagnostics.map((d) => d.code)).toEqual([2344]);
    expect(ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, '\n')).toContain(
      "does not satisfy the constraint 'true'",
    );
  });
});
