/** An error the fake answers the way OpenSearch does: `{"error":{"root_cause":[…],"type","reason"},"status"}`. */
export class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
    /** For the few APIs that answer with another shape, e.g. `{"error":"alias [x] missing","status":404}`. */
    private readonly rawBody?: Record<string, unknown>,
  ) {
    super(`${type}: ${reason}`);
  }

  /** The `error` object alone, as bulk and mget items carry it. */
  detail(): Record<string, unknown> {
    return { type: this.type, reason: this.reason, ...this.extra };
  }

  body(): Record<string, unknown> {
    if (this.rawBody) return this.rawBody;
    const cause = this.detail();
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

export function indexNotFound(name: string): FakeError {
  return new FakeError(404, 'index_not_found_exception', `no such index [${name}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': name,
    index: name,
  });
}

export function badRequest(reason: string, type = 'parsing_exception'): FakeError {
  return new FakeError(400, type, reason);
}
