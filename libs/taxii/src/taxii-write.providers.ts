import { DeleteTaxiiObjectUseCase } from './delete-taxii-object.use-case';
import { EnvelopeSubmissionUseCase } from './envelope-submission.use-case';
import { TaxiiStatusRepository } from './taxii-status.repository';
import { GetTaxiiStatusUseCase } from './taxii-status.use-case';

export { DeleteTaxiiObjectUseCase, type DeleteFilters } from './delete-taxii-object.use-case';
export { EnvelopeSubmissionUseCase, TAXII_DEFAULT_TITLE } from './envelope-submission.use-case';
export { GetTaxiiStatusUseCase } from './taxii-status.use-case';
export {
  MAX_ENVELOPE_OBJECTS,
  TAXII_STATUS_TTL_DAYS,
  type StatusDetails,
  type TaxiiStatusResource,
} from './taxii-status';

/** The write side's use-cases, exported by the taxii module (it needs AlertsModule). */
export const TAXII_WRITE_USE_CASES = [EnvelopeSubmissionUseCase, GetTaxiiStatusUseCase, DeleteTaxiiObjectUseCase];
/** Everything the write side provides: its use-cases and the status repository (not exported). */
export const TAXII_WRITE_PROVIDERS = [TaxiiStatusRepository, ...TAXII_WRITE_USE_CASES];
