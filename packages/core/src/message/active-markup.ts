// The page scan (HTML smuggling, SVG phishing): which parts are pages (markup-names.ts), what makes a page
// active (markup-scan.ts), and how its bytes split into tags (markup-tokenizer.ts).
export {
  archivedMarkupScan,
  isOfficePackageNamed,
  markupScanFor,
  markupScanForName,
  opensAsPageByName,
  showsNoMarkup,
} from './markup-names.js';
export { MarkupScan } from './markup-scan.js';
