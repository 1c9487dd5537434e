import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ExportAlertUseCase,
  ListAlertsUseCase,
  ListIndicatorsUseCase,
  ReportFeedbackUseCase,
  RevokeAlertUseCase,
  SubmitMispEventsUseCase,
  UpdateAlertUseCase,
} from '@tocsin/alerts';
import type { Response } from 'express';
import { GetAlertWithLinksUseCase } from '@tocsin/coordination';
import { PreviewSubmissionUseCase } from '@tocsin/normalization';
import { ListPendingAlertsUseCase, ReviewAlertUseCase } from '@tocsin/vetting';
import type { Actor, IdempotencyClaim, SubmittedBody } from '@tocsin/domain';
import { CurrentActor, RequestId } from '../auth/current-actor.decorator';
import { paging } from '../http/paging';
import { RateLimit } from '../auth/rate-limit.guard';
import { Idempotent, IdempotencyClaimOf } from './idempotency.interceptor';
import { ReviewDto, RevokeAlertDto, SightingDto, SubmitAlertDto, UpdateAlertDto } from './dto/submit-alert.dto';

/** The media types a submission (and its preview) is read from. */
const SUBMISSION_MEDIA_TYPES = [
  'application/json',
  'application/stix+json',
  'application/misp+json',
  'text/csv',
  'text/plain',
  'application/x-ndjson',
];

/** A body as the submission reads it: text for the text media types, the parsed JSON otherwise. */
function submittedBody(body: SubmitAlertDto | string | undefined): SubmittedBody {
  return typeof body === 'string' ? { kind: 'text', value: body } : { kind: 'json', value: body };
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    /** One alert per submission, or one per event of a body holding several MISP events. */
    private readonly submitAlert: SubmitMispEventsUseCase,
    private readonly getAlert: GetAlertWithLinksUseCase,
    private readonly listIndicators: ListIndicatorsUseCase,
    private readonly exportAlert: ExportAlertUseCase,
    private readonly listPending: ListPendingAlertsUseCase,
    private readonly reviewAlert: ReviewAlertUseCase,
    private readonly updateAlert: UpdateAlertUseCase,
    private readonly revokeAlert: RevokeAlertUseCase,
    private readonly reportFeedback: ReportFeedbackUseCase,
    private readonly listAlerts: ListAlertsUseCase,
    private readonly previewSubmission: PreviewSubmissionUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @RateLimit('submissions')
  @Idempotent()
  @ApiConsumes(...SUBMISSION_MEDIA_TYPES)
  submit(
    @CurrentActor() actor: Actor,
    @Body() body: SubmitAlertDto | string | undefined,
    @Query() query: Record<string, unknown>,
    @Headers('content-type') contentType: string | undefined,
    @RequestId() requestId: string | null,
    @IdempotencyClaimOf() idempotency: IdempotencyClaim | null,
  ) {
    return this.submitAlert.execute(actor, { body: submittedBody(body), contentType, query, idempotency }, requestId);
  }

  /**
   * What `POST /api/v1/alerts` would read from the same body and query, without storing anything: counts, the first
   * 100 canonical indicators and every refused record (line or pointer, and why; at most 1,000 listed). The same
   * role, limits, rate bucket and 4xx answers as the submission.
   */
  @Post('preview')
  @HttpCode(200)
  @RateLimit('submissions')
  @ApiConsumes(...SUBMISSION_MEDIA_TYPES)
  preview(
    @CurrentActor() actor: Actor,
    @Body() body: SubmitAlertDto | string | undefined,
    @Query() query: Record<string, unknown>,
    @Headers('content-type') contentType: string | undefined,
  ) {
    return this.previewSubmission.execute(actor, { body: submittedBody(body), contentType, query });
  }

  /**
   * The alerts the caller may see, newest first, filtered (see README, "Finding alerts"); `?limit=` 1–200, default
   * 50, `?cursor=` from `nextCursor`. `?status=pending_review` alone stays the review queue (vetters, oldest first).
   */
  @Get()
  @ApiQuery({ name: 'status', required: false, description: 'alert statuses, comma-separated' })
  @ApiQuery({ name: 'severity', required: false, description: 'low, medium, high, critical; comma-separated' })
  @ApiQuery({ name: 'minSeverity', required: false, description: 'this severity and above' })
  @ApiQuery({ name: 'tlp', required: false, description: 'TLP labels, comma-separated (AMBER%2BSTRICT)' })
  @ApiQuery({ name: 'classification', required: false, description: 'RSIT class or class/type, comma-separated' })
  @ApiQuery({ name: 'sourceCountry', required: false, description: "submitting org's country (ISO alpha-2)" })
  @ApiQuery({ name: 'since', required: false, description: 'submitted at or after (ISO 8601)' })
  @ApiQuery({ name: 'until', required: false, description: 'submitted before (ISO 8601)' })
  @ApiQuery({ name: 'q', required: false, description: 'words of the title or description (web-search syntax)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    const keys = Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor');
    if (query.status === 'pending_review' && keys.length === 1) {
      const { limit, cursor } = paging(query);
      return this.listPending.execute(actor, limit, cursor);
    }
    const { limit, cursor } = paging(query, 50, 200);
    return this.listAlerts.execute(actor, query, limit, cursor);
  }

  /** `{decision: approve|reject, reason}`: approval publishes, rejection is final. */
  @Post(':id/review')
  @HttpCode(200)
  review(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @RequestId() requestId: string | null,
  ) {
    return this.reviewAlert.execute(actor, id, body, requestId);
  }

  /** A new revision of a published alert: `{title?, description?, severity?, validUntil?}` (the submitter's operator). */
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdateAlertDto) {
    return this.updateAlert.execute(actor, id, body);
  }

  /** Withdraws an alert: `{reason}`; a published one is followed by an `alert-revoked` event. */
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RevokeAlertDto) {
    return this.revokeAlert.execute(actor, id, body);
  }

  /** `{type: sighting|false-positive, indicator?}` from a recipient; the submitter is told with a `sighting` event. */
  @Post(':id/sightings')
  @HttpCode(200)
  sighting(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SightingDto) {
    return this.reportFeedback.execute(actor, id, body);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.getAlert.execute(actor, id);
  }

  @Get(':id/export')
  async export(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query('format') format: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const out = await this.exportAlert.execute(actor, id, format);
    res.type(out.mediaType);
    return out.document;
  }

  /**
   * One page of the alert's indicators with the filtered `total`: `?sort=position|type|value`, `?order=asc|desc`,
   * `?type=` (comma-separated), `?q=` (part of the value), `?actionable=true|false`, `?flag=` (all of them).
   */
  @Get(':id/indicators')
  @ApiQuery({ name: 'sort', required: false, description: 'position (default), type or value' })
  @ApiQuery({ name: 'order', required: false, description: 'asc (default) or desc' })
  @ApiQuery({ name: 'type', required: false, description: 'indicator types, comma-separated' })
  @ApiQuery({ name: 'q', required: false, description: 'part of the value, any case (1–200 characters)' })
  @ApiQuery({ name: 'actionable', required: false, description: 'true or false' })
  @ApiQuery({ name: 'flag', required: false, description: 'flags, comma-separated: rows carrying all of them' })
  @ApiQuery({ name: 'limit', required: false, description: '1–10,000, default 1,000' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (same sort and filters)' })
  indicators(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = paging(query, 1000, 10_000);
    return this.listIndicators.execute(actor, id, cursor, limit, query);
  }
}
