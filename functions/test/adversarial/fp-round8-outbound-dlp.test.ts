import { tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 8 (attacker round 106 made the outbound DLP read any text holding percent-escapes of printable
// ASCII with them decoded, and a base64 run also cut at the first line of another length and after it): ordinary
// outgoing mail full of tracking links, references, identifiers and base64 must still be sent. Each case carries no
// card and no IBAN; a card in the same kind of link is bounced (the last case), so the decoded text is read.
const kit = attackerKit(useLocalStack());
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const wrap = (s: string, width = 76) => s.replace(new RegExp(`.{${width}}`, 'g'), '$&\r\n');
const text = (body: string, type = 'text/plain') =>
  mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}; charset=utf-8`], body);
const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % 251));

const SAFELINK =
  'https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ups.com%2Ftrack%3Floc%3Den_US%26tracknum%3D1Z999AA10123456784%26requester%3DST%2F&data=05%7C02%7Calice%40corp.example%7C3f2a1b0c9d8e4f7a08dc1234abcd5678%7C72f988bf86f141af91ab2d7cd011db47%7C1%7C0%7C638712345678901234%7CUnknown%7CTWFpbGZsb3d8eyJFbXB0eU1hcGkiOnRydWUsIlYiOiIwLjAuMDAwMCIsIlAiOiJXaW4zMiIsIkFOIjoiTWFpbCIsIldUIjoyfQ%3D%3D%7C0%7C%7C%7C&sdata=q1w2e3r4t5y6u7i8o9p0aAsSdDfFgGhHjJkKlL%3D&reserved=0';
const TEAMS =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzE4ZjQ1YjItYTY3Ni00NjQ2LWE4ZjYtZmQ3OGE5YjJmOTNk%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22d4c4e6a2-1b2c-4d3e-8f9a-0b1c2d3e4f5a%22%7d';

const messages: Record<string, () => Buffer> = {
  'a newsletter with UTM, Mailchimp and SendGrid click-tracking links': () =>
    text(
      [
        'Spring sale: 20% off everything until 30 April.',
        'https://mailchi.mp/corp/spring-sale?e=%5BUNIQID%5D&utm_source=newsletter&utm_medium=email&utm_campaign=spring%202026%20sale&utm_content=hero%20banner%201',
        'https://corp.us21.list-manage.com/track/click?u=4f8d2a1b3c5e6f7a8b9c0d1e2&id=7a1b2c3d4e&e=5f6a7b8c9d',
        'https://u1234567.ct.sendgrid.net/ls/click?upn=u001.aBcD3fGh1JkLmN0pQrStUvWxYz-2BaBcDeFgHiJkLmNoPqRsTuVwXyZ-3D-3D',
        'https://www.corp.example/shop?utm_source=hs_email&utm_medium=email&_hsenc=p2ANqtz-8Xk4%5F1111%5F2222&_hsmi=411111111',
        'Unsubscribe: https://corp.example/u?list=4111&email=bob%40partner.example&sig=2026%2D04%2D01%2012%3A30%3A00',
      ].join('\r\n'),
    ),
  'Google Maps directions and a place link': () =>
    text(
      [
        'Directions: https://www.google.com/maps/dir/?api=1&destination=1600%20Amphitheatre%20Parkway%2C%20Mountain%20View%2C%20CA%2094043&travelmode=driving',
        'https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z/data=!3m1!4b1!4m6!3m5!1s0x47e66e2964e34e2d:0x8ddca9ee380ef7e0!8m2!3d48.8583701!4d2.2944813!16zL20vMDJqODE%3Fentry%3Dttu',
        'https://www.google.com/maps/search/?api=1&query=47.5951518%2C-122.3316393&query_place_id=ChIJKxjxuaNqkFQR3CK6O1HNNqY',
      ].join('\r\n'),
    ),
  'SharePoint, OneDrive and Teams links': () =>
    text(
      [
        'The invoices are here: https://corp.sharepoint.com/sites/Finance/Shared%20Documents/Forms/AllItems.aspx?id=%2Fsites%2FFinance%2FShared%20Documents%2FQ3%202026%2FInvoice%2041111%2Epdf&parent=%2Fsites%2FFinance%2FShared%20Documents',
        'https://corp-my.sharepoint.com/:x:/r/personal/alice_corp_example/_layouts/15/Doc.aspx?sourcedoc=%7B4B1D2C3E-4111-4F5A-8B9C-0D1E2F3A4B5C%7D&file=Budget%202026%20v3.xlsx&action=default&mobileredirect=true',
        `Join the meeting: ${TEAMS}`,
        'Meeting ID: 245 678 901 234',
        'Passcode: aB3cD4',
        'Dial in by phone +1 323-849-4874,,123456789# United States, Los Angeles',
        'Phone conference ID: 123 456 789#',
      ].join('\r\n'),
    ),
  'a reply quoting an Outlook SafeLinks-wrapped UPS tracking link': () =>
    text(
      [
        'Your parcel left our warehouse, tracking 1Z999AA10123456784.',
        '',
        '> From: Carol <carol@partner.example>',
        `> Track it here: <${SAFELINK}>`,
      ].join('\r\n'),
    ),
  'an order confirmation with order, tracking and phone numbers': () =>
    text(
      [
        'Order 114-3941689-8772232 confirmed, placed 07 Dec 2026.',
        'Customer no. 1000234567, invoice INV-2026-004111.',
        'UPS: 1Z999AA10123456784 https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784%2C1Z999AA10123456793',
        'FedEx: 7489 1234 5678 and 961234567890123 https://www.fedex.com/fedextrack/?trknbr=748912345678%2C961234567890123',
        'USPS: 9400 1118 9922 3397 4218 24 https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223397421824%2C92055901649173127510',
        'Questions? Call +1 (800) 555-0199 or tel:+1%20800%20555%200199, fax +49%2030%2012345678.',
        'Total: EUR 1.234,56 incl. 19% VAT (235,20).',
      ].join('\r\n'),
    ),
  'an invoice with a SEPA mandate, a creditor ID and a structured reference': () =>
    text(
      [
        'Invoice 2026-04111 due 31.12.2026, amount EUR 4.111,11.',
        'SEPA direct debit, mandate reference CORP-2026-0001234567, creditor ID DE98ZZZ09999999999.',
        'Creditor reference RF18 5390 0754 7034; pay online: https://pay.corp.example/invoice?ref=RF18%205390%200754%207034&amount=4111%2E11&due=2026%2D12%2D31',
        'Order ref DE-4111-2026-000123, customer AT-0042-7788.',
      ].join('\r\n'),
    ),
  'Azure and AWS console links with resource IDs': () =>
    text(
      [
        'https://portal.azure.com/#@corp.onmicrosoft.com/resource/subscriptions/4111e5a2-1b2c-4d3e-8f9a-0b1c2d3e4f5a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app/overview',
        'https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/%2Fsubscriptions%2F4111e5a2-1b2c-4d3e-8f9a-0b1c2d3e4f5a%2FresourceGroups%2Frg-prod',
        'arn:aws:iam::411111111111:role/deploy, account 4111 1111 1111',
        'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fapi/log-events/2026$252F12$252F07$252F$255B$2524LATEST$255Da1b2c3d4',
        'https://console.aws.amazon.com/iam/home#/roles/details/deploy?section=permissions&arn=arn%3Aaws%3Aiam%3A%3A411111111111%3Arole%2Fdeploy',
        'request id 3f2a1b0c-9d8e-4f7a-8dc1-234abcd56789',
      ].join('\r\n'),
    ),
  'a calendar invite with a Teams link and folded lines': () =>
    outboundFile(
      'invite.ics',
      Buffer.from(
        [
          'BEGIN:VCALENDAR',
          'METHOD:REQUEST',
          'PRODID:Microsoft Exchange Server 2010',
          'VERSION:2.0',
          'BEGIN:VEVENT',
          'UID:040000008200E00074C5B7101A82E00800000000B0E3D5A2F1C6DB01000000000000000010000000E9A4D7F1B2C34111A8B9C0D1E2F3A4B5',
          'DTSTART;TZID=W. Europe Standard Time:20261210T100000',
          'DTEND;TZID=W. Europe Standard Time:20261210T110000',
          'SUMMARY:Quarterly review',
          `URL:${TEAMS.slice(0, 60)}`,
          ` ${TEAMS.slice(60)}`,
          'DESCRIPTION:Meeting ID: 245 678 901 234\\nPasscode: aB3cD4\\nDial in +1 323-84',
          ' 9-4874\\,\\,123456789#',
          'X-MICROSOFT-CDO-OWNERAPPTID:-1411111111',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      ),
      'text/calendar; method=REQUEST',
    ),
  'GUIDs, a JWT and a build hash pasted in a support reply': () => {
    const jwt = [
      b64('{"alg":"RS256","typ":"JWT","kid":"4111"}'),
      b64(
        '{"sub":"1234567890","name":"Ann Lee","iat":1765101600,"exp":1765105200,"tid":"72f988bf-86f1-41af-91ab-2d7cd011db47"}',
      ),
      b64(bytes(256, 1)),
    ]
      .map((p) => p.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
      .join('.');
    return text(
      [
        'Hi Carol, the request failed with correlation id 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d.',
        `The token was: ${jwt}`,
        'Build sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        '',
        'Thanks',
        'Bob',
      ].join('\r\n'),
    );
  },
  'a forwarded message quoting its DKIM signature': () =>
    text(
      [
        '---------- Forwarded message ---------',
        'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=partner.example; s=s1;',
        ' t=1765101600; h=from:to:subject:date:message-id;',
        ' bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;',
        ` b=${b64(bytes(256, 2)).slice(0, 70)}`,
        `  ${b64(bytes(256, 2)).slice(70, 146)}`,
        `  ${b64(bytes(256, 2)).slice(146, 222)}`,
        `  ${b64(bytes(256, 2)).slice(222)}`,
        'From: Carol <carol@partner.example>',
        'Subject: Order 114-3941689-8772232',
        '',
        'Please see above.',
      ].join('\r\n'),
    ),
  'a PGP-signed message with the signature below': () =>
    text(
      [
        '-----BEGIN PGP SIGNED MESSAGE-----',
        'Hash: SHA256',
        '',
        'The release 4.11.1 is out; checksums attached.',
        '-----BEGIN PGP SIGNATURE-----',
        '',
        wrap(b64(bytes(310, 3)), 64),
        '=Ab3c',
        '-----END PGP SIGNATURE-----',
        '',
        'Bob',
      ].join('\r\n'),
    ),
  'a pasted certificate and a pasted base64 config with a signature under each': () =>
    text(
      [
        'Here is the new certificate:',
        '-----BEGIN CERTIFICATE-----',
        wrap(b64(bytes(700, 4)), 64),
        '-----END CERTIFICATE-----',
        'and the settings, base64 as the portal wants them:',
        wrap(
          b64(
            JSON.stringify({
              region: 'eu-west-1',
              retries: 3,
              endpoint: 'https://api.corp.example/v2',
              timeoutMs: 4111,
              tags: ['prod', 'billing'],
            }),
          ),
        ),
        'Thanks',
        'Bob',
        'Bob Smith | Billing | +1 (800) 555-0199',
      ].join('\r\n'),
    ),
  'an HTML mail with inline data: images and tracking links': () =>
    text(
      `<html><body><p>Hello,</p><img src="data:image/png;base64,${b64(bytes(900, 5))}" alt="logo"><p><a href="https://click.corp.example/?u=https%3A%2F%2Fcorp.example%2Forder%2F114-3941689-8772232%3Futm_source%3Demail">Your order</a></p><p>Track: https://www.ups.com/track?tracknum=1Z999AA10123456784%26loc%3Den_US</p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" width="1" height="1"></body></html>`,
      'text/html',
    ),
  'a vCard with PHOTO;ENCODING=b folded over lines': () =>
    outboundFile(
      'ann.vcf',
      Buffer.from(
        [
          'BEGIN:VCARD',
          'VERSION:3.0',
          'N:Lee;Ann;;;',
          'FN:Ann Lee',
          'ORG:Corp',
          'TEL;TYPE=WORK,VOICE:+1 (800) 555-0199',
          'TEL;TYPE=CELL:+49 151 41111111',
          `PHOTO;ENCODING=b;TYPE=JPEG:${wrap(b64(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), bytes(1500, 6)])), 74).replace(/\r\n/g, '\r\n ')}`,
          'NOTE:Met at the 2026 fair\\, booth 4111',
          'END:VCARD',
          '',
        ].join('\r\n'),
      ),
      'text/vcard',
    ),
  'an Outlook TNEF winmail.dat': () =>
    outboundFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'INVOIC~1.TXT',
          longName: 'Invoice 2026-04111.txt',
          data: Buffer.from(
            'Invoice 2026-04111\r\nOrder 114-3941689-8772232\r\nhttps://pay.corp.example/i?ref=RF18%205390%200754%207034\r\n',
          ),
        },
      ]),
      'application/ms-tnef',
    ),
};

describe('false-positive round 8: ordinary outbound mail with escapes and base64 (sent)', () => {
  for (const [name, build] of Object.entries(messages))
    it(name, async () => {
      expect(await kit.outbound(build())).toBe('DEFAULT');
    });
});

describe('false-positive round 8: the same links carrying a card (bounced)', () => {
  it('a SafeLinks-wrapped link with a card in it', async () => {
    expect(
      await kit.outbound(text(`> ${SAFELINK.replace('1Z999AA10123456784', '4111%201111%201111%201111')}`)),
    ).toBe('BOUNCE');
  });
});
