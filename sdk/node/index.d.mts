import type { BuildE2E as Sdk } from './types.js';

export * from './types.js';

declare const BuildE2E: Sdk;
export default BuildE2E;
