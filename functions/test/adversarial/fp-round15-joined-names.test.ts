import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 15: the guard reads a protected name's letters written as one word (`JaneDoe`) as the name.
// A name of short syllables, as Chinese, Korean and Vietnamese names are romanised (`Li Na`, `An Na`, `Le Na`, `Ma
// Lin`, `Ha Na`, `Yu Ki`), joins to a given name many other people carry (Lina, Anna, Lena, Malin, Hana, Yuki), so
// an organization protecting its CFO Li Na sent every outside Lina Müller to Junk. Such a joined form now counts
// only when nothing but titles stands beside it in the display name (`Lina`, `CEO Lina`, `Lina, Finance`); another
// word (a surname) names someone else. The name's own words, in any order or glued with a change of case (`LiNa`),
// count as before, and so does every joined form of a name with a longer word (`Janedoe Smith`).
const kit = attackerKit(useLocalStack());

const delivered: [string, string][] = [
  ['Lina Müller', 'Li Na'],
  ['Lina Ng', 'Li Na'],
  ['LINA SCHMIDT', 'Li Na'],
  ['lina.mueller@partner.example', 'Li Na'],
  ['Anna Collins', 'An Na'],
  ['Lena Fischer', 'Le Na'],
  ['Malin Andersson', 'Ma Lin'],
  ['Hana Novák', 'Ha Na'],
  ['Yuki Tanaka', 'Yu Ki'],
  ['Mina Rahman', 'Mi Na'],
  ['Joann Smith', 'Jo Ann'],
  ['Nali Traders Ltd', 'Li Na'],
];
describe('FP15 an outside person whose given name is a protected short name joined is delivered', () => {
  for (const [name, protectedName] of delivered)
    it(`delivers "${name}" with ${protectedName} protected`, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('DEFAULT');
    });
});

const held: [string, string][] = [
  ['Li Na', 'Li Na'],
  ['Na Li', 'Li Na'],
  ['Lina', 'Li Na'],
  ['LiNa', 'Li Na'],
  ['LiNa Müller', 'Li Na'],
  ['Li-Na Müller', 'Li Na'],
  ['L i N a', 'Li Na'],
  ['CEO Lina', 'Li Na'],
  ['Lina CFO', 'Li Na'],
  ['Lina, Finance', 'Li Na'],
  ['Dr. Lina', 'Li Na'],
  ['Lina Li Na', 'Li Na'],
  ['Anna', 'An Na'],
  ['Lіna Müller Li Na', 'Li Na'],
  ['Janedoe Smith', 'Jane Doe'],
  ['Jane Doe Smith', 'Jane Doe'],
];
describe('FP15 held: the protected name, or its joined form alone or beside titles, is still junked', () => {
  for (const [name, protectedName] of held)
    it(`junks "${name}" with ${protectedName} protected`, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('MOVE_TO_JUNK');
    });
});
