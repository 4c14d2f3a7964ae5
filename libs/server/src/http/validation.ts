import { BadRequestException, ValidationError } from '@nestjs/common';

/** Names the field: "slug: must match …; name: must be a string". */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const messages = flatten(errors);
  return new BadRequestException({ code: 'validation_failed', message: messages.join('; ') || 'invalid request body' });
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((m) => `${path}: ${m.replace(new RegExp(`^${error.property} `), '')}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
