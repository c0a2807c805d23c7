/**
 * Failures a use-case reports in its own terms. Use-cases never build HTTP answers; the edge
 * (platform/http.ts) maps each of these to one problem+json status, so the same rule gives the
 * same answer whether a route, a script or a queue handler called it.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'not-found' | 'conflict' | 'invalid' | 'forbidden' | 'window-closed' | 'gone' | 'refused';
  /** A slice may name its problem more exactly than the kind does; the status still follows the kind. */
  readonly problem?: { type: string; title: string };
}

/** The thing asked for does not exist for this tenant (or is not theirs to see). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly what: string) {
    super(`No such ${what}.`);
    this.name = 'NotFoundError';
  }
}

/** The request is valid but clashes with the current state (already exists, wrong state, concurrent change). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  declare readonly problem?: { type: string; title: string };
  /** In how many seconds the same request may succeed: the answer's Retry-After. */
  readonly retryAfterSeconds?: number;
  constructor(detail: string, more: { problem?: { type: string; title: string }; retryAfterSeconds?: number } = {}) {
    super(detail);
    this.name = 'ConflictError';
    if (more.problem) this.problem = more.problem;
    if (more.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(1, Math.ceil(more.retryAfterSeconds));
  }
}

/** The input breaks a rule the schema could not express. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    detail: string,
    readonly errors?: Array<{ field: string; message: string }>,
  ) {
    super(detail);
    this.name = 'InvalidInputError';
  }
}

/** The caller may not do this (role, ownership, MFA). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(detail: string) {
    super(detail);
    this.name = 'ForbiddenError';
  }
}

/** Meta's messaging window for this conversation is closed, so nothing may be sent now. */
export class WindowClosedError extends DomainError {
  readonly kind = 'window-closed';
  constructor(detail: string) {
    super(detail);
    this.name = 'WindowClosedError';
  }
}

/** The thing existed but can no longer be used (an expired or revoked invitation). */
export class GoneError extends DomainError {
  readonly kind = 'gone';
  constructor(
    detail: string,
    override readonly problem: { type: string; title: string },
  ) {
    super(detail);
    this.name = 'GoneError';
  }
}

/** An outside party refused what the request carried (Facebook rejecting a Page token). */
export class RefusedByPartyError extends DomainError {
  readonly kind = 'refused';
  constructor(
    detail: string,
    override readonly problem: { type: string; title: string },
  ) {
    super(detail);
    this.name = 'RefusedByPartyError';
  }
}
