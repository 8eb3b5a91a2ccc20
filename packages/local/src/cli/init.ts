export async function init(_a: string[]): Promise<number> {
  return 2;
}
