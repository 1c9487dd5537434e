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
import { ChangeTrustUseCase } from './change-trust.use-case';
import { ReadAuditUseCase } from './read-audit.use-case';
import { AuditTrail } from './audit-trail';

const USE_CASES = [
  AuthenticateKeyUseCase,
  BootstrapHubUseCase,
  CreateOrgUseCase,
  ReadOrgsUseCase,
  CreateApiKeyUseCase,
  RevokeApiKeyUseCase,
  ListApiKeysUseCase,
  OrgDirectory,
  ChangeTrustUseCase,
  ReadAuditUseCase,
  AuditTrail,
];

@Module({ providers: [OrgRepository, ApiKeyRepository, AuditRepository, ...USE_CASES], exports: USE_CASES })
export class OrgsModule {}
