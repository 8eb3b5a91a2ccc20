import type { IncomingMessage } from 'node:http';
import type { Template } from './cfn.js';
import type { Act } from './scripted-proxy.js';

// The IAM check of fault rounds 76 and 77: a function's inline policy read from a template, the IAM action and
// resource each request before a local emulator needs, and AWS's own 403 refusal of what the policy does not grant.

/** One Allow statement of a function's policy: its actions and its resources as patterns. */
export interface Grant {
  actions: string[];
  resources: RegExp[];
}

/** One call as IAM judges it: the action and the resource. */
export interface IamCall {
  action: string;
  resource: string;
}

export const S3_ARN = 'arn:aws:s3:::';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
};

/**
 * A template value as the deployment resolves it here: every condition true; `names` gives each `Ref`, `Fn::GetAtt`
 * (`Logical.Attr`) and `Fn::Sub` variable its value (pseudo parameters are us-east-1, account 123456789012).
 */
// biome-ignore lint/suspicious/noExplicitAny: template data is untyped
export function resolve(value: any, names: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return names[value.Ref] ?? PSEUDO[value.Ref] ?? value.Ref;
  if (value['Fn::If']) return resolve(value['Fn::If'][1], names);
  if (value['Fn::GetAtt']) {
    const at = value['Fn::GetAtt'];
    return names[Array.isArray(at) ? at.join('.') : String(at)] ?? '?';
  }
  if (value['Fn::Sub']) {
    const [text, own] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
    const all: Record<string, string> = { ...PSEUDO, ...names };
    for (const [k, v] of Object.entries(own as Record<string, unknown>)) all[k] = resolve(v, names);
    return (text as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => all[name] ?? `?${name}`);
  }
  return '?';
}

const pattern = (arn: string) =>
  new RegExp(`^${arn.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The statements a function's role allows, from the template's inline policy, resolved with `names`. */
export function grantsOf(template: Template, logicalId: string, names: Record<string, string>): Grant[] {
  const policies = template.Resources[logicalId].Properties.Policies as Template[];
  const out: Grant[] = [];
  for (const policy of policies) {
    for (let statement of policy.Statement as Template[]) {
      if (statement['Fn::If']) statement = statement['Fn::If'][1];
      if (statement.Effect !== 'Allow') continue;
      const actions = ([] as unknown[]).concat(statement.Action) as string[];
      const resources = ([] as unknown[]).concat(statement.Resource).map((r) => pattern(resolve(r, names)));
      out.push({ actions, resources });
    }
  }
  return out;
}

/** Whether `grants` allow `action` on `resource`. */
export const allowed = (grants: Grant[], call: IamCall) =>
  grants.some((g) => g.actions.includes(call.action) && g.resources.some((r) => r.test(call.resource)));

/**
 * The IAM actions and resources an S3 request (path style) needs: a copy needs `s3:GetObject` on its source
 * besides `s3:PutObject` on its key.
 */
export function s3Calls(req: IncomingMessage): IamCall[] {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, bucket = '', ...rest] = decodeURIComponent(url.pathname).split('/');
  const key = rest.join('/');
  const q = url.searchParams;
  const object = `${S3_ARN}${bucket}/${key}`;
  if (!key) return [{ action: 's3:ListBucket', resource: `${S3_ARN}${bucket}` }];
  if (req.method === 'DELETE')
    return [{ action: q.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', resource: object }];
  if (req.method === 'GET' || req.method === 'HEAD')
    return [{ action: q.has('attributes') ? 's3:GetObjectAttributes' : 's3:GetObject', resource: object }];
  const calls: IamCall[] = [];
  const source = req.headers['x-amz-copy-source'];
  if (typeof source === 'string')
    calls.push({
      action: 's3:GetObject',
      resource: `${S3_ARN}${decodeURIComponent(source.split('?')[0] ?? '').replace(/^\//, '')}`,
    });
  if (req.method === 'PUT' && req.headers['x-amz-object-lock-mode'])
    calls.push({ action: 's3:PutObjectRetention', resource: object });
  calls.push({ action: 's3:PutObject', resource: object });
  return calls;
}

/** The shape of a service's refusal: S3's XML, a JSON protocol's (Message Flow, DynamoDB), SES's awsQuery. */
export type RefusalShape = 's3' | 'json' | 'query';

/** AWS's own `403 AccessDenied` answer to `call` for `role`, in the service's shape. */
export function refusal(role: string, call: IamCall, shape: RefusalShape): Act {
  const message = `User: arn:aws:sts::123456789012:assumed-role/${role}Role/x is not authorized to perform: ${call.action} on resource: "${call.resource}"`;
  if (shape === 's3')
    return {
      do: 'answer',
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>r76</RequestId></Error>`,
    };
  if (shape === 'query')
    return {
      do: 'answer',
      status: 403,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'r77-denied' },
      body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>r77-denied</RequestId></ErrorResponse>`,
    };
  return {
    do: 'answer',
    status: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({ message }),
  };
}

/** Every `action resource` asked, in order; denied ones end in ` DENIED`. */
export interface Iam {
  calls: string[];
}

/**
 * A proxy decision acting as IAM for `role` with `grants`: each request named by `name`, recorded in `iam`, forwarded
 * when every call it needs is granted, refused in `shape` otherwise.
 */
export function iamDecide(
  role: string,
  grants: Grant[],
  iam: Iam,
  name: (req: IncomingMessage, body: Buffer) => IamCall[],
  shape: RefusalShape,
): (req: IncomingMessage, body: Buffer) => Act {
  return (req, body) => {
    for (const call of name(req, body)) {
      const ok = allowed(grants, call);
      iam.calls.push(`${call.action} ${call.resource}${ok ? '' : ' DENIED'}`);
      if (!ok) return refusal(role, call, shape);
    }
    return { do: 'forward' };
  };
}

/** The calls `iam` recorded as refused. */
export const denied = (iam: Iam) => iam.calls.filter((c) => c.endsWith(' DENIED'));
