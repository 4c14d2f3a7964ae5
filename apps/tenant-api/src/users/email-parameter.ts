import { ErrorCode, normalizeUserIdentifier, TesseraError } from '@tessera/domain';

const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}$/;

/** An email from a path parameter, normalized as the directory stores it; 400 when it is not one. */
export function emailParameter(raw: string): string {
  const email = normalizeUserIdentifier(raw);
  if (!EMAIL.test(email)) throw new TesseraError(ErrorCode.ValidationFailed, 'email: must be an email address');
  return email;
}
