import { type WiredStack, wireProxy } from './faults-round47-wire.js';
import { stackBehind } from './scripted-proxy.js';

/** {@link stackBehind} with {@link wireProxy}s. */
export function wiredStack(buckets: string[], env: Record<string, string> = {}): WiredStack {
  const behind = stackBehind(wireProxy, buckets, env);
  return {
    get stack() {
      return behind.stack;
    },
    get s3w() {
      return behind.s3;
    },
    get floww() {
      return behind.flow;
    },
  };
}
