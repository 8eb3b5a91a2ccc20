/** True when wmflow runs from its TypeScript source (through tsx), so `.ts` modules can be imported and forked. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');
