import type { ZipText } from '../mime/zip-text.js';

// What an Office package's styles part says about the backdrops of the text in its other parts, written as the
// XML the shown reading (xml-shown.ts) understands and put before each part that holds text: an OpenDocument
// page layout's background (styles.xml), an .xlsx workbook's cell fills (xl/styles.xml). A package without the
// part has the default: a white page, no fills. A part read without it (unknown bytes, or a package of another
// kind) is read both ways there.

const MAX_CONTEXT = 64 * 1024;
const MAX_TAGS = 256;

/**
 * The backdrops to put before each text part of an Office package, or undefined when not known.
 *
 * @example
 * ```ts
 * officeBackdrops(read.texts); // '<style:page-layout-properties fo:background-color="#000000"/>'
 * ```
 */
export function officeBackdrops(parts: readonly ZipText[]): { context: string; reads: RegExp } | undefined {
  const names = new Set(parts.map((p) => p.name));
  if (names.has('content.xml')) {
    const styles = parts.find((p) => p.name === 'styles.xml');
    const tags = styles ? tagsNamed(styles.bytes, 'page-layout-properties') : [];
    if (!tags) return undefined;
    return { context: tags.join('') || '<style:page-layout-properties/>', reads: /^content\.xml$/ };
  }
  if (parts.some((p) => p.name.startsWith('xl/'))) {
    const styles = parts.find((p) => p.name === 'xl/styles.xml');
    const fills = styles ? section(styles.bytes, 'fills') : '<fills/>';
    if (fills === undefined) return undefined;
    return { context: fills, reads: /^xl\/(?:sharedStrings\.xml|worksheets\/[^/]+\.xml)$/ };
  }
  return undefined;
}

// Each start tag of the local name given (`<style:page-layout-properties …>`); undefined when not plain text.
function tagsNamed(bytes: Buffer, local: string): string[] | undefined {
  if (bytes.includes(0)) return undefined;
  const xml = bytes.toString('latin1');
  const tags: string[] = [];
  let size = 0;
  let met = 0;
  for (let at = xml.indexOf(local); at >= 0; at = xml.indexOf(local, at + 1)) {
    if (++met > MAX_TAGS) return undefined;
    const lt = xml.lastIndexOf('<', at);
    const gt = xml.indexOf('>', at);
    if (lt < 0 || gt < 0 || !/^<[\w.-]*:?$/.test(xml.slice(lt, at))) continue;
    const tag = xml.slice(lt, gt + 1);
    size += tag.length;
    if (size > MAX_CONTEXT) return undefined;
    tags.push(tag.endsWith('/>') ? tag : `${tag.slice(0, -1)}/>`);
  }
  return tags;
}

// The element of the local name given, whole (`<fills>…</fills>`); undefined when not plain text or too long.
function section(bytes: Buffer, local: string): string | undefined {
  if (bytes.includes(0)) return undefined;
  const xml = bytes.toString('latin1');
  const start = new RegExp(`<(?:[\\w.-]+:)?${local}(?=[\\s/>])[^<>]*>`).exec(xml);
  if (!start) return `<${local}/>`;
  if (start[0].endsWith('/>')) return `<${local}/>`;
  const rest = xml.slice(start.index, start.index + MAX_CONTEXT);
  const end = new RegExp(`</(?:[\\w.-]+:)?${local}\\s*>`).exec(rest);
  return end ? rest.slice(0, end.index + end[0].length) : undefined;
}
