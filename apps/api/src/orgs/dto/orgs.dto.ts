import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@tocsin/domain';

/** Documentation of the bodies; validation is the domain's (parseCreateOrg, parseCreateKey). */
export class CreateOrgDto {
  @ApiProperty({ maxLength: 200 }) name!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'FR' }) country!: string;
  @ApiPropertyOptional({ maxLength: 100 }) sector?: string;
  @ApiProperty({ minimum: 0, maximum: 4, description: '0 suspended … 4 coordinator' }) trustLevel!: number;
}

export class CreateKeyDto {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ maxLength: 100 }) label?: string;
}

export class ChangeOrgDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 4 }) trustLevel?: number;
  @ApiPropertyOptional({ maxLength: 200, description: 'a new name, unique across the hub (case-insensitive)' })
  name?: string;
  @ApiPropertyOptional({ maxLength: 100, nullable: true, description: 'a new sector, or null to clear it' })
  sector?: string | null;
  @ApiProperty({ description: 'why: required, recorded in the audit trail', maxLength: 1000 }) reason!: string;
}
