// Jest runs each test file in its own vm realm, while Node's own fetch (undici inside Node) runs in the
// worker's main realm. Errors then cross realms both ways: the CLI's client asks `error instanceof Error` of
// fetch's TypeError, and Node's fetch asks the same of an error our DNS guard (OutboundHttp) raised, and
// replaces it by a plain Error when the answer is no. In production there is one realm and the answer is
// yes; this environment makes `instanceof Error` say yes in both realms for every native error
// (util.types.isNativeError), and changes nothing else: subclasses such as TypeError keep the ordinary check.
'use strict';
const { types } = require('node:util');
const { TestEnvironment } = require('jest-environment-node');

function acceptNativeErrors(ErrorClass) {
  if (Object.prototype.hasOwnProperty.call(ErrorClass, Symbol.hasInstance)) return;
  const ordinary = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(ErrorClass, Symbol.hasInstance, {
    value(value) {
      return ordinary.call(this, value) || (this === ErrorClass && types.isNativeError(value));
    },
  });
}

class TesseraEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    acceptNativeErrors(Error);
    acceptNativeErrors(this.global.Error);
  }
}

module.exports = TesseraEnvironment;
