import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@tocsin/domain';

/** Documentation of the bodies; validation is the domain's (parseInviteUser, parseUserChange, parseSignIn…). */
export class InviteUserDto {
  @ApiProperty({ maxLength: 254, description: 'unique across the hub, compared case-insensitively' }) email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ maxLength: 200 }) name?: string;
}

export class ChangeUserDto {
  @ApiPropertyOptional({ enum: ROLES }) role?: Role;
  @ApiPropertyOptional({ description: 'true disables the user and ends its sessions' }) disabled?: boolean;
}

export class AcceptInviteDto {
  @ApiProperty({ minLength: 12, maxLength: 1024, description: 'not a commonly used password' }) password!: string;
}

export class SignInDto {
  @ApiProperty({ maxLength: 254 }) email!: string;
  @ApiProperty({ maxLength: 1024 }) password!: string;
  @ApiPropertyOptional({ description: 'the 6-digit code of the authenticator app, or a recovery code' })
  totp?: string;
}

export class StartTotpDto {
  @ApiPropertyOptional({
    description: 'to replace a second factor: a current code of it, or an unused recovery code',
    maxLength: 64,
  })
  code?: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ pattern: '^\\d{6}$' }) code!: string;
}
