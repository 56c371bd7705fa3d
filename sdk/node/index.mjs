// The ES module entry re-exports the CommonJS implementation, so both module systems share one configuration and
// one set of error classes (instanceof works whichever way an error was loaded).
export * from './index.js';
export { default } from './index.js';
