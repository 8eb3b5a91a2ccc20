/** Lambda entry of the guard: configuration from the environment, checked at cold start. */
import { guard } from './guard.js';

export const handler = guard(process.env);
