import { describe } from 'vitest';
import { attackerKit, insideSpoofTests } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-5 (conditional: depends on SES echoing the EHLO argument unquoted): SES's Authentication-Results writes
// `client-ip=…; envelope-from=…; helo=<EHLO argument>;` as segments of its own. A43-1 made quoted strings single
// values, but an EHLO argument is not a quoted string: `EHLO mx.evil.example;dkim=pass header.d=corp.example`
// (many MTAs accept any text there) would add a method segment. The parser skips segments that do not start
// `method=result` and lets a later, real `dmarc=fail` stand beside the injected pass, so the spoof is "inside":
// no [EXTERNAL] tag/banner, no impersonation check of the From.
const stack = useLocalStack();
const kit = attackerKit(stack);
const AR =
  'Authentication-Results: amazonses.com;\r\n spf=fail (spf: domain of corp.example does not designate 192.0.2.7 as permitted sender) client-ip=192.0.2.7; envelope-from=jane.doe@corp.example; helo=mx.evil.example;dkim=pass header.d=corp.example;\r\n dkim=fail header.i=@corp.example;\r\n dmarc=fail header.from=corp.example;';

describe('A44-5: a method injected through an unquoted SES-echoed value (helo)', () =>
  insideSpoofTests(kit, AR));
