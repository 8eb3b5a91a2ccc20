/** UTF-16BE bytes as text (a last odd byte dropped): PDF strings, font names, Photoshop's Unicode strings. */
export function utf16be(bytes: Buffer): string {
  const even = bytes.length - (bytes.length % 2);
  return Buffer.from(bytes.subarray(0, even)).swap16().toString('utf16le');
}
