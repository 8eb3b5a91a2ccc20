/** Lambda entry of the SES archiver: configuration from the environment, checked at cold start. */
import { archiverSes } from './archiver-ses.js';

export const handler = archiverSes(process.env);
