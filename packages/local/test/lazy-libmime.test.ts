import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyLibmime } from '../src/bundle/lazy-libmime.js';
import { bundleHandler, REQUIRE_BANNER } from '../src/index.js';
import { ROOT } from './replay-helpers.js';

interface Charset {
  normalizeCharset(charset?: unknown): string;
  decode(buf: Buffer | string, charset?: string): string;
  convert(data: Buffer | string, charset?: string): Buffer;
  encode(text: string): Buffer;
  createDecodeStream(charset?: string): NodeJS.ReadWriteStream & { supported: boolean; charset: string };
  DecodeStream: new (charset?: string) => { supported: boolean };
}
interface Libmime {
  decodeWords(text: string): string;
  detectMimeType(extension: string): string;
  detectExtension(type: string): string;
  parseHeaderValue(text: string): { value: string; params: Record<string, string> };
}
interface Bundled {
  libmime: Libmime;
  charset: Charset;
}

// The real modules, as the CommonJS build the shim stands in for.
const requireCore = createRequire(join(ROOT, 'packages/core/package.json'));
const real = requireCore('libmime/lib/charset') as Charset;
const realLibmime = requireCore('libmime') as Libmime;

let dir: string;
let bundled: Bundled;
let inputs: string[];
let outputs: string[];
// A real libmime module, in a file of its own: in Node's module cache once loaded.
const loaded = (name: string) =>
  Object.keys(createRequire(import.meta.url).cache).some(
    (f) => f.endsWith('.cjs') && f.includes(`libmime-${name}-`),
  );
const fullLoaded = () => loaded('charset');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-charsets-'));
  const result = await build({
    stdin: {
      contents: [
        "export { default as libmime } from 'libmime';",
        "export { default as charset } from 'libmime/lib/charset';",
        "import '@zone-eu/mailsplit';",
      ].join('\n'),
      resolveDir: join(ROOT, 'packages/core'),
      loader: 'js',
    },
    outfile: join(dir, 'bundle.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    plugins: [lazyLibmime],
    logLevel: 'silent',
  });
  inputs = Object.keys(result.metafile.inputs);
  outputs = Object.keys(result.metafile.outputs);
  bundled = (await import(join(dir, 'bundle.mjs'))) as Bundled;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const UTF8 = Buffer.concat([
  Buffer.from('Grüße, 日本語, emoji 😀 and € signs', 'utf8'),
  Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xff, 0x41]), // invalid and cut sequences
]);
const FAST = [
  'utf-8',
  'UTF8',
  ' Utf-8 ',
  'us-ascii',
  'ASCII',
  'iso-8859-1',
  'ISO_8859-1',
  'latin1',
  'windows-1252',
];
const OTHER = [
  'iso-8859-2',
  'windows-1251',
  'koi8-r',
  'gbk',
  'shift_jis',
  'iso-2022-jp',
  'utf-16',
  'utf-7',
  'x-nonsense',
];

async function streamed(charset: Charset, name: string | undefined, bytes: Buffer, size: number) {
  const stream = charset.createDecodeStream(name);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out = await buffer(Readable.from(chunks).pipe(stream));
  return { text: out.toString('utf8'), supported: stream.supported, charset: stream.charset };
}

describe('lazyLibmime (bundler plugin)', () => {
  it('bundles one libmime, the CommonJS build mailsplit requires', () => {
    const libmime = inputs.filter((f) => /[\\/]libmime[\\/]dist[\\/]/.test(f));
    expect(libmime.length).toBeGreaterThan(0);
    expect(libmime.filter((f) => /[\\/]dist[\\/]esm[\\/]/.test(f))).toEqual([]);
    // iconv-lite is not in the bundle but in the charset module's own file, which the sizes count.
    expect(inputs.filter((f) => /[\\/](iconv-lite|encoding-japanese)[\\/]/.test(f))).toEqual([]);
    expect(outputs.filter((f) => /libmime-(charset|mimetypes)-\w+\.cjs$/.test(f))).toHaveLength(2);
  });

  it('loads the MIME type tables when a type or an extension is first looked up', () => {
    expect(loaded('mimetypes')).toBe(false);
    for (const extension of ['pdf', 'eml', 'docx', 'unknown-x'])
      expect(bundled.libmime.detectMimeType(extension)).toBe(realLibmime.detectMimeType(extension));
    for (const type of ['image/jpeg', 'text/plain', 'application/x-nothing'])
      expect(bundled.libmime.detectExtension(type)).toBe(realLibmime.detectExtension(type));
    expect(loaded('mimetypes')).toBe(true);
  });

  it('decodes UTF-8, ASCII and windows-1252 names as libmime does, without loading iconv-lite', async () => {
    for (const name of [...FAST, undefined, '']) {
      const label = String(name);
      expect(bundled.charset.normalizeCharset(name), label).toBe(real.normalizeCharset(name));
      for (const bytes of [ALL_BYTES, UTF8]) {
        expect(bundled.charset.decode(bytes, name), label).toBe(real.decode(bytes, name));
        expect(bundled.charset.convert(bytes, name).equals(real.convert(bytes, name)), label).toBe(true);
        for (const size of [1, 3, 7, 1000]) {
          expect(await streamed(bundled.charset, name, bytes, size), label).toEqual(
            await streamed(real, name, bytes, size),
          );
        }
      }
      expect(new bundled.charset.DecodeStream(name).supported).toBe(true);
    }
    const words =
      '=?us-ascii?Q?plain?= =?iso-8859-1?Q?caf=E9_=80?= =?utf-8?B?R3LDvMOfZQ==?= =?UTF-8?Q?=F0=9F=98=80?=';
    expect(bundled.libmime.decodeWords(words)).toBe(realLibmime.decodeWords(words));
    const header = 'text/plain; charset="us-ascii"; name*=utf-8\'\'%E2%82%AC.txt';
    expect(bundled.libmime.parseHeaderValue(header)).toEqual(realLibmime.parseHeaderValue(header));
    expect(fullLoaded()).toBe(false);
  });

  it('loads iconv-lite for any other charset and decodes it as libmime does', async () => {
    for (const name of OTHER) {
      expect(bundled.charset.normalizeCharset(name), name).toBe(real.normalizeCharset(name));
      expect(bundled.charset.decode(ALL_BYTES, name), name).toBe(real.decode(ALL_BYTES, name));
      expect(bundled.charset.convert(ALL_BYTES, name).equals(real.convert(ALL_BYTES, name)), name).toBe(true);
      expect(await streamed(bundled.charset, name, ALL_BYTES, 5), name).toEqual(
        await streamed(real, name, ALL_BYTES, 5),
      );
      expect(new bundled.charset.DecodeStream(name).supported, name).toBe(
        new real.DecodeStream(name).supported,
      );
    }
    expect(fullLoaded()).toBe(true);
    const stream = bundled.charset.createDecodeStream('koi8-r');
    expect(stream instanceof bundled.charset.DecodeStream).toBe(true);
    expect(bundled.charset.createDecodeStream('utf-8') instanceof bundled.charset.DecodeStream).toBe(true);
    expect(bundled.charset.encode('é').equals(real.encode('é'))).toBe(true);
  });

  it('puts the charset module in a chunk file of its own, counted in the bundle size', async () => {
    const outdir = join(dir, 'handler');
    const report = await bundleHandler({
      entry: join(import.meta.dirname, 'fixtures/charset-handler.ts'),
      outdir,
    });
    const file = report.lazy.find((l) => /^chunks\/libmime-charset-\w+\.cjs$/.test(l.file));
    expect(file?.bytes).toBeGreaterThan(100_000);
    const { handler } = (await import(join(outdir, 'index.mjs'))) as {
      handler: (e: object) => Promise<string>;
    };
    for (const words of [
      '=?utf-8?Q?caf=C3=A9?=',
      '=?koi8-r?B?8NLJ18XU?=',
      '=?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=',
    ])
      expect(await handler({ words })).toBe(realLibmime.decodeWords(words));
  });

  it('keeps the real modules inside a bundle that writes no files', async () => {
    const result = await build({
      stdin: {
        contents: "export { default } from 'libmime';",
        resolveDir: join(ROOT, 'packages/core'),
        loader: 'js',
      },
      outdir: join(dir, 'unwritten'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      plugins: [lazyLibmime],
      logLevel: 'silent',
    });
    expect(result.outputFiles.map((f) => f.path).filter((f) => f.endsWith('.cjs'))).toEqual([]);
    expect(Object.keys(result.metafile.inputs).some((f) => /[\\/]iconv-lite[\\/]/.test(f))).toBe(true);
    expect(result.outputFiles[0]?.text).not.toContain('libmime-charset-');
  });
});
