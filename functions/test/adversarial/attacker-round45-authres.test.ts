import { describe } from 'vitest';
import { attackerKit, insideSpoofTests } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-6 (conditional, same premise as A44-5: SES echoes the EHLO argument unquoted): the A44-5 fix refuses a
// header with a failing or second DMARC. But resinfoSegments (core auth-results.ts) drops a comment left open to
// the end of the header without calling the header malformed (an open quoted string is refused): an EHLO of
// `mx.evil.example;dkim=pass header.d=corp.example (` injects a pass and hides SES's own `dkim=fail` and
// `dmarc=fail` in the open comment. The spoof is "inside": no [EXTERNAL] tag, no impersonation check.
const stack = useLocalStack();
const kit = attackerKit(stack);
const AR =
  'Authentication-Results: amazonses.com;\r\n spf=fail (spf: domain of corp.example does not designate 192.0.2.7 as permitted sender) client-ip=192.0.2.7; envelope-from=jane.doe@corp.example; helo=mx.evil.example;dkim=pass header.d=corp.example (;\r\n dkim=fail header.i=@corp.example;\r\n dmarc=fail header.from=corp.example;';
describe('A45-6: SES results hidden in a comment left open by an echoed value', () =>
  insideSpoofTests(kit, AR));
