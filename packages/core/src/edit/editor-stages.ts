import type { ApplyEditsOptions } from './apply-edits.js';
import type { Edit } from './edits.js';
import { RawRepair } from './raw-repair.js';
import { type RewritePlan, RewriteStream } from './rewrite-stream.js';
import { SkimmingSplitter } from './skimming-splitter.js';

/** The editor's stages in pipeline order: the banner's first pass must read a message exactly as the edit will. */
export interface EditorStages {
  repair: RawRepair;
  splitter: SkimmingSplitter;
  rewriter: RewriteStream;
}

export function editorStages(
  edits: readonly Edit[],
  options: ApplyEditsOptions,
  plan: Pick<RewritePlan, 'bodyless' | 'onDecided'> = {},
): EditorStages {
  return {
    repair: new RawRepair(options.repair ?? { receivedAt: new Date(), mailFrom: '' }, {
      lengthUnknown: options.lengthUnknown,
    }),
    splitter: new SkimmingSplitter({
      ignoreEmbedded: true,
      maxHeadSize: options.maxHeaderBytes ?? 1024 * 1024,
    }),
    rewriter: new RewriteStream({
      edits,
      signedContent: options.signedContent ?? 'headers-only',
      maxPartBytes: options.maxPartBytes ?? 10 * 1024 * 1024,
      ...plan,
    }),
  };
}
