import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import type { ZodError } from 'zod';
import type { FieldError } from '@app/domain';
import { ApiError } from '../errors/api-error';

/**
 * The zod validation pipe of nestjs-zod, answering our validation_error with
 * `details.errors: [{field, message}]` and field paths such as `intervals[0].unitPrice`.
 * Bodies are strict schemas (unknown fields → 400); query schemas are not, so unknown query
 * parameters are ignored, as most HTTP APIs do (cache busters, tracing parameters).
 */
const ZodPipe = createZodValidationPipe({
  createValidationException: (error) => ApiError.validation(fieldErrors(error as ZodError)),
});

@Injectable()
export class ApiValidationPipe implements PipeTransform {
  private readonly zod = new ZodPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return this.zod.transform(value, metadata);
  }
}

export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = pathOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_type' && path === '') {
      return [{ field: 'body', message: 'a JSON object body is required' }];
    }
    return [{ field: path || 'body', message: issue.message }];
  });
}

const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (joined, key) =>
      typeof key === 'number'
        ? `${joined}[${key}]`
        : joined
          ? `${joined}.${String(key)}`
          : String(key),
    '',
  );
