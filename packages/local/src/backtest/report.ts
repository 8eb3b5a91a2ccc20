import { barChart, escapeHtml as h } from './svg.js';
import type { BacktestSummary, BacktestTally, PolicyTally } from './tally.js';
import type { OutcomeDiff } from './types.js';

/**
 * The backtest report: one self-contained HTML page (no script, no request:
 * its Content-Security-Policy forbids both) with the summary counts, verdicts
 * per policy and rules fired as inline SVG charts, the changed messages linked
 * to their diffs, the failures and the throughput.
 *
 * @example
 * ```ts
 * await writeFile('report.html', renderReport(tally.summary(run), tally));
 * ```
 */
export function renderReport(
  summary: BacktestSummary,
  samples: Pick<BacktestTally, 'changedSamples' | 'failedSamples'>,
): string {
  const policies = [summary.candidate, ...(summary.baseline ? [summary.baseline] : [])];
  const names = policies.map((p) => p.label);
  const verdictTypes = union(policies.map((p) => p.verdicts));
  const rules = union(policies.map((p) => p.rulesFired));
  const card = (id: string, label: string, value: string | number) =>
    `<div class="card"><div class="n" id="${id}">${h(String(value))}</div><div>${h(label)}</div></div>`;
  const changed = samples.changedSamples.map((line, i) => ({ line, id: `m${i + 1}` }));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>wmflow backtest: ${h(summary.candidate.label)}</title>
<style>${STYLE}</style></head><body>
<h1>Backtest of ${h(summary.candidate.label)}${summary.baseline ? ` against ${h(summary.baseline.label)}` : ''}</h1>
<p class="muted">${h(summary.source)}</p>
${summary.partial !== undefined ? `<p><strong>Partial: ${h(summary.partial)}</strong>. The counts are of the messages judged before it, not of the whole source; rerun with <code>--resume</code> for the rest.</p>` : ''}
<section class="cards">
${card('messages', 'messages', summary.messages)}
${card('changed', 'changed', summary.changed)}
${card('failed', 'with failures', summary.failed)}
${card('edited', `edited by ${summary.candidate.label}`, summary.candidate.edited)}
${card('skipped', `not for ${summary.candidate.label} (other direction)`, summary.candidate.skipped ?? 0)}
${card('rate', 'messages / s', summary.messagesPerSecond)}
</section>
<h2>Verdicts per policy</h2>
<p class="muted">Recipients per verdict.</p>
${barChart(
  'Verdicts per policy',
  names,
  verdictTypes.map((v) => ({ label: v, values: policies.map((p) => p.verdicts[v] ?? 0) })),
)}
${verdictTable(policies, verdictTypes)}
<h2>Rules fired</h2>
<p class="muted">Messages per rule.</p>
${
  rules.length
    ? barChart(
        'Rules fired',
        names,
        rules.map((r) => ({ label: r, values: policies.map((p) => p.rulesFired[r] ?? 0) })),
      )
    : '<p>No rule fired.</p>'
}
<h2>Changed messages (${summary.changed})</h2>
${transitions(summary)}
${
  changed.length
    ? `<table><thead><tr><th>#</th><th>message</th><th>direction</th><th>from</th><th>verdicts</th></tr></thead><tbody>
${changed.map(({ line, id }) => `<tr><td><a href="#${id}">${id}</a></td><td class="key">${h(line.key)}</td><td>${h(line.direction)}</td><td>${h(line.mailFrom)}</td><td>${line.diff?.verdicts.map((d) => `${b(d.before)} → ${b(d.after)}`).join(', ') || 'edit / error'}</td></tr>`).join('\n')}
</tbody></table>`
    : '<p>No message changed.</p>'
}
${summary.changed > changed.length ? `<p class="muted">The first ${changed.length} are listed; the JSON lines have all of them.</p>` : ''}
<h2>Failures (${summary.failed})</h2>
${failures(samples.failedSamples)}
<h2>Throughput</h2>
<p>${summary.messages - summary.resumed} message(s) in ${(summary.durationMs / 1000).toFixed(1)} s with ${summary.workers || 'remote'} worker(s): <b>${summary.messagesPerSecond}</b> messages/s${summary.resumed ? `; ${summary.resumed} resumed from an earlier run` : ''}.</p>
<h2>Diffs</h2>
${changed.map(({ line, id }) => `<section class="diff" id="${id}"><h3>${id} · ${h(line.key)}</h3>${diffBlock(line.diff as OutcomeDiff)}</section>`).join('\n')}
</body></html>
`;
}

function verdictTable(policies: PolicyTally[], types: string[]): string {
  const head = `<tr><th>policy</th>${types.map((t) => `<th>${h(t)}</th>`).join('')}<th>errors</th></tr>`;
  const rows = policies.map(
    (p, i) =>
      `<tr><td>${h(p.label)}</td>${types.map((t) => `<td class="num" id="v${i}-${h(t)}">${p.verdicts[t] ?? 0}</td>`).join('')}<td class="num">${p.errors}</td></tr>`,
  );
  return `<table class="verdicts"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function transitions(summary: BacktestSummary): string {
  const entries = Object.entries(summary.transitions).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '';
  return `<p>${entries.map(([t, n]) => `<span class="pill">${h(t)}: ${n}</span>`).join(' ')}</p>`;
}

function failures(lines: BacktestTally['failedSamples']): string {
  if (lines.length === 0) return '<p>None.</p>';
  const rows = lines.flatMap((line) =>
    [line.candidate, ...(line.baseline ? [line.baseline] : [])]
      .flatMap((o) => [
        ...(o.error ? [[o.label, `${o.error.name}: ${o.error.message}`]] : []),
        ...o.failures.map((f) => [o.label, `rule ${f.rule}: ${f.error}`]),
        // A failed edit counts among the failures (tally.ts): listed too, or the table under "Failures (N)" was
        // empty for a policy whose edits failed (newcomer round 11).
        ...(o.edit.status === 'failed'
          ? [[o.label, `edit failed: ${o.edit.reason ?? 'no reason given'}`]]
          : []),
      ])
      .map(
        ([label, what]) =>
          `<tr><td class="key">${h(line.key)}</td><td>${h(label ?? '')}</td><td>${h(what ?? '')}</td></tr>`,
      ),
  );
  return `<table><thead><tr><th>message</th><th>policy</th><th>what</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

// Each value of a diff line is isolated (`<bdi>`): a right-to-left override in a bounce message or an error that
// quotes the message ends with the value, and cannot turn the arrow and the other side around (attacker round 81).
function diffBlock(diff: OutcomeDiff): string {
  const out: string[] = [];
  for (const v of diff.verdicts)
    out.push(`<div>${b(v.recipient)}: <del>${b(v.before)}</del> → <ins>${b(v.after)}</ins></div>`);
  if (diff.rules.added.length) out.push(`<div>rules added: ${b(diff.rules.added.join(', '))}</div>`);
  if (diff.rules.removed.length) out.push(`<div>rules removed: ${b(diff.rules.removed.join(', '))}</div>`);
  if (diff.edit)
    out.push(`<div>edit: <del>${b(diff.edit.before)}</del> → <ins>${b(diff.edit.after)}</ins></div>`);
  if (diff.error)
    out.push(
      `<div>error: <del>${b(diff.error.before ?? 'none')}</del> → <ins>${b(diff.error.after ?? 'none')}</ins></div>`,
    );
  return out.join('\n');
}

function b(text: string): string {
  return `<bdi>${h(text)}</bdi>`;
}

function union(records: Record<string, number>[]): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#111}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}.muted{color:#666}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:.75rem 1.25rem;min-width:110px}
.card .n{font-size:1.8rem;font-weight:600}table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}.num{text-align:right}
.key{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}.pill{background:#eef2ff;border-radius:10px;padding:.1rem .6rem}
del{color:#b91c1c}ins{color:#15803d;text-decoration:none}.diff{border-left:3px solid #2563eb;padding-left:.75rem;margin:.75rem 0}
.diff:target{background:#fffbeb}`;
