/** Errors a decision can raise; the API maps each kind to the SPEC §2 error body. */
export interface FieldError {
  field: string;
  message: string;
}

export class ValidationFailed extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationFailed';
  }
}

/** The resource's state forbids the call (SPEC: 409 invalid_operation). */
export class InvalidOperation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOperation';
  }
}

export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}
