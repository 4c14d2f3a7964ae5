// Jest resolves with the "require" export condition; a few packages (kubernetes-models) export only an
// "import" entry. Those resolve through it, and SWC compiles the module to CommonJS (jest.config.js).
'use strict';

module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    if (!options.conditions?.includes('require')) throw error;
    try {
      return options.defaultResolver(request, { ...options, conditions: ['import', 'node', 'default'] });
    } catch {
      throw error;
    }
  }
};
