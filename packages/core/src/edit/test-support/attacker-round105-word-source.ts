import { outlookShows } from './attacker-round102-outlook-view.js';

/**
 * The page as Outlook for Windows may read it when its Word engine handles comments in the source before it parses
 * elements, raw text (`<style>`, `<title>`, `<script>`) included, for attacker round 105's tests. Whether Word does is
 * not known (round 102 left it open): so a test passes only if the banner comes first under this reading too. Plain
 * comments are taken out wherever they stand (a `<!--` inside a `<title>` runs to the next `-->`, past the title's end
 * tag), then `outlookShows` handles the conditional comments, which it already reads anywhere in the source.
 */
export function wordSourceShows(html: string): string {
  const comment =
    /<!--\[if[^\]]*\]>(?:<!-*>)?|<!\[if[^\]]*\]>|<!--<!\[endif\]-->|<!\[endif\]-->|<!\[endif\]>|(<!--[\s\S]*?-->)/gi;
  return outlookShows(
    html.replace(comment, (whole: string, plain?: string) => (plain === undefined ? whole : '')),
  );
}
