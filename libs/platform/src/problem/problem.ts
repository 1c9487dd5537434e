import type { Issue } from '@tocsin/domain';
import { AppError } from './app-error';
import { problemType, type ProblemCode } from './problem-codes';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: readonly Issue[];
}

export function problemFromAppError(e: AppError, requestId?: string): ProblemDocument {
  return {
    type: problemType(e.code),
    title: e.title,
    status: e.status,
    detail: e.message,
    ...(requestId ? { instance: requestId } : {}),
    ...(e.errors.length > 0 ? { errors: e.errors } : {}),
  };
}

export function problem(
  status: number,
  code: ProblemCode,
  title: string,
  detail: string,
  requestId?: string,
): ProblemDocument {
  return { type: problemType(code), title, status, detail, ...(requestId ? { instance: requestId } : {}) };
}
