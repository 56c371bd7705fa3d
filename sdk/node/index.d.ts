import * as sdk from './types';

export * from './types';

/** The module itself, as require() returns it; `default` points back at it, as in index.js. */
declare const BuildE2E: typeof sdk & { readonly default: typeof sdk };
export default BuildE2E;
