/** Colours of the series (candidate, baseline), readable on white. */
const COLORS = ['#2563eb', '#f59e0b'];
const ROW = 22;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 420;

/**
 * Escapes text for HTML and SVG (element content and quoted attributes):
 * keys, addresses and bounce messages come from mail senders.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A horizontal bar chart as inline SVG: one group per category, one bar per
 * series (e.g. candidate and baseline), the count written after each bar.
 *
 * @example
 * ```ts
 * barChart('Verdicts', ['guard', 'recorded'], [{ label: 'DEFAULT', values: [15, 19] }]);
 * ```
 */
export function barChart(
  title: string,
  series: readonly string[],
  rows: readonly { label: string; values: number[] }[],
): string {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const group = ROW * series.length + 8;
  const height = rows.length * group + 28;
  const bars = rows.map((row, i) => {
    const y = 24 + i * group;
    const label = `<text x="${LABEL_WIDTH - 8}" y="${y + (ROW * series.length) / 2 + 4}" text-anchor="end">${escapeHtml(row.label)}</text>`;
    const rects = row.values.map((value, s) => {
      const width = Math.round((value / max) * BAR_WIDTH);
      const top = y + s * ROW;
      return `<rect x="${LABEL_WIDTH}" y="${top}" width="${Math.max(width, 1)}" height="${ROW - 4}" fill="${COLORS[s % COLORS.length]}"><title>${escapeHtml(`${series[s]}: ${value}`)}</title></rect><text x="${LABEL_WIDTH + width + 6}" y="${top + ROW - 8}">${value}</text>`;
    });
    return label + rects.join('');
  });
  const legend = series
    .map(
      (name, s) =>
        `<rect x="${LABEL_WIDTH + s * 200}" y="4" width="12" height="12" fill="${COLORS[s % COLORS.length]}"/><text x="${LABEL_WIDTH + s * 200 + 18}" y="14">${escapeHtml(shortName(name))}<title>${escapeHtml(name)}</title></text>`,
    )
    .join('');
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${LABEL_WIDTH + BAR_WIDTH + 60} ${height}" width="${LABEL_WIDTH + BAR_WIDTH + 60}" height="${height}" font-size="12" font-family="system-ui, sans-serif">${legend}${bars.join('')}</svg>`;
}

// A legend entry fits its 200 px: a long module path keeps its end (the file and export), marked as cut.
function shortName(name: string): string {
  return name.length <= 28 ? name : `…${name.slice(-27)}`;
}
