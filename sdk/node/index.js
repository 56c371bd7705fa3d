'use strict';

const { Client, DEFAULT_BASE_URL } = require('./client.js');
const errors = require('./errors.js');

// What setApiKey/setBaseUrl chose; anything left undefined falls back to the environment at each call.
const settings = { apiKey: undefined, baseUrl: undefined };

/**
 * The default export: one process-wide configuration, as the seed uses it
 * (`BuildE2E.setApiKey(...); await BuildE2E.executeCode(...)`). Both `import` and `require()` get this same object.
 */
const BuildE2E = {
  /** @param {string} apiKey */
  setApiKey(apiKey) {
    settings.apiKey = apiKey;
  },
  /** @param {string} baseUrl */
  setBaseUrl(baseUrl) {
    settings.baseUrl = baseUrl;
  },
  /**
   * @param {import('./types').ExecuteRequest} request
   * @returns {Promise<import('./types').ExecuteResult>}
   */
  executeCode(request) {
    return new Client(settings).executeCode(request);
  },
  Client,
  DEFAULT_BASE_URL,
  ...errors,
};
// For transpiled code that reads `require(...).default`.
BuildE2E.default = BuildE2E;

module.exports = BuildE2E;
