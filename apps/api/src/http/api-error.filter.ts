import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { ProblemFilter } from '@tocsin/platform';
import type { Request } from 'express';
import { isTaxiiPath, TaxiiErrorFilter } from '../taxii/taxii-error.filter';

/**
 * The api's one global filter: problem documents everywhere, TAXII error messages under `/taxii2/` (an unknown
 * TAXII path included, which no TAXII controller's own filter sees).
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly problem = new ProblemFilter();
  private readonly taxii = new TaxiiErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'http' && isTaxiiPath(host.switchToHttp().getRequest<Request>())) {
      this.taxii.catch(exception, host);
      return;
    }
    this.problem.catch(exception, host);
  }
}
