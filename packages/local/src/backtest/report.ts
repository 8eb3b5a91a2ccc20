export function renderReport(..._a: unknown[]): string {
  return '';
}
