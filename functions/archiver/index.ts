/** Lambda entry of the archiver: configuration from the environment, checked at cold start. */
import { archiver } from './archiver.js';

export const handler = archiver(process.env);
