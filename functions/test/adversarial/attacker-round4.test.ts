import { describe } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 4 on the page scan, through the guard at its defaults: each page ran a script or saved a
// file in a browser while the scan let it through (unit tests in packages/core/src/message/markup-attacks.test.ts).

const stack = useLocalStack();
const kit = attackerKit(stack);

const page = (name: string, type: string, body: string | Buffer) =>
  mail(
    [MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(body).toString('base64')}`,
    ),
  );
const b64 = (s: string) => Buffer.from(s).toString('base64').slice(0, 24);

const EMPTY_END = '<p>Loading</p></><script>/*empty-end*/location="https://evil.example"</script>';
const JIS = '<p>Loading</p><scr\x1b(Bipt>/*iso-2022-jp*/</script>';
const DOCTYPE = `<!DOCTYPE svg SYSTEM "><x y='"><svg xmlns="http://www.w3.org/2000/svg"><script>/*doctype*/</script></svg>`;
const PREFIXED = `<svg xmlns="http://www.w3.org/2000/svg"><_:script xmlns:_="http://www.w3.org/1999/xhtml">/*prefixed*/</_:script></svg>`;
const DATA_LINK =
  '<p>Your invoice</p><a href="data:image/png;base64,TVqQAAMAAAAEAAAA" download="invoice.exe">Open</a>';
const SOL = '<a href="data:application&sol;octet-stream;base64,TVqQAAMA" download="scan.exe">Open scan</a>';

describe('attacker round 4: pages the page scan let through', () => {
  attachmentTests(kit, {
    'an empty end tag </> before the script': [page('invoice.html', 'text/html', EMPTY_END), b64(EMPTY_END)],
    'an ISO-2022-JP escape inside <script>': [page('invoice.htm', 'text/html', JIS), b64(JIS)],
    'a DOCTYPE literal holding > in an SVG': [page('fax.svg', 'image/svg+xml', DOCTYPE), b64(DOCTYPE)],
    'an SVG script behind a namespace prefix named _': [
      page('fax.svg', 'image/svg+xml', PREFIXED),
      b64(PREFIXED),
    ],
    'a data: link with download= (no script)': [page('invoice.html', 'text/html', DATA_LINK), b64(DATA_LINK)],
    'a data: type hidden by &sol;': [page('scan.html', 'application/octet-stream', SOL), b64(SOL)],
  });
});
