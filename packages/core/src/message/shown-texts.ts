import { lazyModule } from '../lazy-module.js';
import { ReadingDeadline } from '../mime/reading-deadline.js';
import type { ShownTexts } from './html-shown.js';

export type { ShownTexts } from './html-shown.js';

type Readers = {
  /** `deadline`: a `Date.now()` time by which the reading stops, the page then undecided. */
  html: (markup: string, deadline?: number) => ShownTexts;
  xml: (markup: string) => string[];
};
// Loaded once; a load that failed is tried again by the next caller (lazyModule), not kept for the container's life.
const loadReaders = lazyModule(() =>
  Promise.all([import('./html-shown.js'), import('./xml-shown.js')]).then(([h, x]) => ({
    html: (markup: string, deadline?: number) =>
      h.htmlShownTexts(markup, deadline === undefined ? undefined : new ReadingDeadline(deadline)),
    xml: x.xmlShownTexts,
  })),
);

/**
 * Loads the shown-text readers (parse5 and the style cascade, kept out of every first chunk) and gives them
 * synchronously once loaded: `html` for HTML bodies ({@link htmlShownTexts}), `xml` for an Office document's
 * parts ({@link xmlShownText}); `html` stops at a deadline when given one.
 *
 * @example
 * ```ts
 * const shown = await loadShownReaders();
 * shown.html('<p>4111 1111<span hidden>x</span> 1111 1111</p>').texts;
 * ```
 */
export function loadShownReaders(): Promise<Readers> {
  return loadReaders();
}
