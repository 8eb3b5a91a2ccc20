import { lazyModule } from '@wmflow/core';

/** `@wmflow/core/mime`'s module: the MIME readers the rules load on first use (not at cold start). */
export type Mime = typeof import('@wmflow/core/mime');

/**
 * Loads `@wmflow/core/mime` once for every rule (a fresh import() per message costs a module-loader round trip).
 * A load that failed is forgotten, so the next message loads again rather than fail for the container's life
 * (fault round 64), and one that failed for want of file descriptors is transient (lazyModule).
 */
export const loadMime: () => Promise<Mime> = lazyModule(() => import('@wmflow/core/mime'));
