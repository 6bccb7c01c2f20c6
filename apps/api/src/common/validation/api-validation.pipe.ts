import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from '@app/domain';
import { ApiError } from '../errors/api-error';

/**
 * Bodies are strict (unknown fields → 400); query strings ignore parameters they do not know,
 * as most HTTP APIs do (cache busters, tracing parameters).
 */
@Injectable()
export class ApiValidationPipe implements PipeTransform {
  private readonly strict = pipe(true);
  private readonly lenient = pipe(false);

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const isDto = metadata.metatype !== undefined && metadata.metatype !== Object;
    if (metadata.type === 'body' && isDto && (value === undefined || value === null)) {
      throw ApiError.validation([{ field: 'body', message: 'a JSON object body is required' }]);
    }
    return (metadata.type === 'body' ? this.strict : this.lenient).transform(value, metadata);
  }
}

function pipe(forbidUnknown: boolean): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiError.validation(flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: path,
      message:
        error.constraints?.whitelistValidation === message ? 'is not a known field' : message,
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
