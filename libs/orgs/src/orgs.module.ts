import { Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository';
import { AuthenticateKeyUseCase } from './authenticate-key.use-case';
import { BootstrapHubUseCase } from './bootstrap-hub.use-case';
import { CreateOrgUseCase } from './create-org.use-case';
import { CreateApiKeyUseCase, ListApiKeysUseCase, RevokeApiKeyUseCase } from './manage-keys.use-case';
import { OrgRepository } from './org.repository';
import { ReadOrgsUseCase } from './read-orgs.use-case';
import { OrgDirectory } from './org-directory';
import { AuditRepository } from './audit.repository';
import { ChangeOrgUseCase } from './change-org.use-case';
import { ReadAuditUseCase } from './read-audit.use-case';
import { AuditTrail } from './audit-trail';
import { UserRepository } from './user.repository';
import { SessionRepository } from './session.repository';
import { CommonPasswords, PasswordHasher } from './password-hasher';
import { TotpAuthenticator } from './totp';
import {
  ChangeUserUseCase,
  EndUserSessionsUseCase,
  InviteUserUseCase,
  ListUsersUseCase,
  ReinviteUserUseCase,
  RemoveSecondFactorUseCase,
} from './manage-users.use-case';
import {
  AcceptInviteUseCase,
  AuthenticateSessionUseCase,
  EnrolTotpUseCase,
  SignInUseCase,
  SignOutUseCase,
} from './sessions.use-case';

const USE_CASES = [
  AuthenticateKeyUseCase,
  BootstrapHubUseCase,
  CreateOrgUseCase,
  ReadOrgsUseCase,
  CreateApiKeyUseCase,
  RevokeApiKeyUseCase,
  ListApiKeysUseCase,
  OrgDirectory,
  ChangeOrgUseCase,
  ReadAuditUseCase,
  AuditTrail,
  InviteUserUseCase,
  ListUsersUseCase,
  ReinviteUserUseCase,
  RemoveSecondFactorUseCase,
  ChangeUserUseCase,
  EndUserSessionsUseCase,
  AcceptInviteUseCase,
  SignInUseCase,
  AuthenticateSessionUseCase,
  SignOutUseCase,
  EnrolTotpUseCase,
];

@Module({
  providers: [
    OrgRepository,
    ApiKeyRepository,
    AuditRepository,
    UserRepository,
    SessionRepository,
    PasswordHasher,
    CommonPasswords,
    TotpAuthenticator,
    ...USE_CASES,
  ],
  exports: USE_CASES,
})
export class OrgsModule {}
