import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INDICATOR_TYPES, SEVERITIES, TLP_LABELS } from '@tocsin/domain';

export class IndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES }) type!: string;
  @ApiProperty({ maxLength: 2048 }) value!: string;
}

/** Documentation of the native JSON body; validation is the domain's (parseNativeSubmission). */
export class SubmitAlertDto {
  @ApiProperty({ maxLength: 300 }) title!: string;
  @ApiPropertyOptional({ maxLength: 20000 }) description?: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: TLP_LABELS }) tlp!: string;
  @ApiPropertyOptional({ type: [String], description: 'org ids; required for RED, only for RED' })
  recipients?: string[];
  @ApiPropertyOptional({ type: [IndicatorDto] }) indicators?: IndicatorDto[];
}

export class ReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty({ description: 'why: required, shown to the submitter', maxLength: 1000 }) reason!: string;
}

export class UpdateAlertDto {
  @ApiPropertyOptional({ maxLength: 300 }) title?: string;
  @ApiPropertyOptional({ maxLength: 20000, nullable: true }) description?: string | null;
  @ApiPropertyOptional({ enum: ['low', 'medium', 'high', 'critical'] }) severity?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 with a zone; past it the alert leaves live views', nullable: true })
  validUntil?: string | null;
}

export class RevokeAlertDto {
  @ApiProperty({ description: 'why: required, sent to recipients', maxLength: 1000 }) reason!: string;
}

export class SightingDto {
  @ApiProperty({ enum: ['sighting', 'false-positive'] }) type!: string;
  @ApiPropertyOptional({ description: 'an indicator value of this alert; the alert as a whole when absent' })
  indicator?: string;
}
