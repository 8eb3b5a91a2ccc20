/**
 * Hostile messages written from docs/threat-model.md ("Attachments"): each one tries a way around the
 * attachment policy an outside sender could take. Generated here, not copied from anywhere.
 */

import type { HostileCase } from './hostile-build.js';
import { limitCases } from './hostile-limits.js';
import { stripEvasionCases } from './hostile-strip.js';
import { tnefCases } from './hostile-tnef.js';
import { unseenPartCases } from './hostile-unseen.js';

export type { HostileCase, StripOutcome } from './hostile-build.js';

/** Every hostile case of the threat model's attachment section. */
export function hostileCases(): HostileCase[] {
  return [...limitCases(), ...unseenPartCases(), ...tnefCases(), ...stripEvasionCases()];
}
