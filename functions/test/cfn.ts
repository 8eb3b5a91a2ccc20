import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';

/** A CloudFormation template as plain data, short-form tags turned into their `Fn::` objects. */
// biome-ignore lint/suspicious/noExplicitAny: templates are untyped data walked by tests
export type Template = Record<string, any>;

const FUNCTIONS = ['And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join'];
const MORE = ['Not', 'Or', 'Select', 'Split', 'Sub', 'Transform'];

function cfnTags(): Tags {
  const tags: Tags = [
    { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
    { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
    { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
    {
      tag: '!GetAtt',
      collection: 'seq',
      resolve: (value) => ({ 'Fn::GetAtt': (value as { toJSON(): unknown }).toJSON() }),
    },
  ];
  for (const name of [...FUNCTIONS, ...MORE]) {
    tags.push({ tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${name}`,
        collection,
        resolve: (value) => ({ [`Fn::${name}`]: (value as { toJSON(): unknown }).toJSON() }),
      });
    }
  }
  return tags;
}

/**
 * Reads `template.yaml` of the repository.
 *
 * @example
 * ```ts
 * const t = await loadTemplate();
 * t.Resources.GuardFunction.Properties.Timeout; // 15
 * ```
 */
export async function loadTemplate(
  path = join(import.meta.dirname, '../../template.yaml'),
): Promise<Template> {
  return parse(await readFile(path, 'utf8'), { customTags: cfnTags() }) as Template;
}

/** Resources of a type, by logical id. */
export function resourcesOf(t: Template, type: string): [string, Template][] {
  return Object.entries(t.Resources as Record<string, Template>).filter(([, r]) => r.Type === type);
}
