import type { Plugin } from 'esbuild';

/**
 * `@middy/core` imports `ReadableStream` from `node:stream/web` at the top, for streamed responses only;
 * loading Node's web streams costs a cold start ~15 ms. This plugin gives middy a stand-in that answers
 * `instanceof` from the real class, loaded only when a response is actually checked.
 *
 * @example
 * ```ts
 * await build({ ...options, plugins: [lazyWebStreams] });
 * ```
 */
export const lazyWebStreams: Plugin = {
  name: 'wmflow-lazy-web-streams',
  setup(build) {
    build.onResolve({ filter: /^node:stream\/web$/ }, (args) =>
      /[\\/]@middy[\\/]core[\\/]/.test(args.importer)
        ? { path: 'web-streams', namespace: 'wmflow-lazy' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'wmflow-lazy' }, () => ({
      contents:
        'export const ReadableStream = { [Symbol.hasInstance]: (value) => value instanceof globalThis.ReadableStream };\n',
      loader: 'js',
    }));
  },
};
