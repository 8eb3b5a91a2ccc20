/** Lambda entry of the guard on SES: configuration from the environment, checked at cold start. */
import { guardSes } from './guard-ses.js';

export const handler = guardSes(process.env);
