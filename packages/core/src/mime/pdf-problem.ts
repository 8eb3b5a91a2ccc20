/** Why a PDF is not read: damaged, a filter not read, a bound reached. Its message is the reason given. */
export class PdfProblem extends Error {}
