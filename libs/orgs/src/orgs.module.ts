import { Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository';
import { AuthenticateKeyUseCase } from './authenticate-key.use-case';
import { BootstrapHubUseCase } from './bootstrap-hub.use-case';
import { CreateOrgUseCase } from './create-org.use-case';
import { CreateApiKeyUseCase, ListApiKeysUseCase, RevokeApiKeyUseCase } from './manage-keys.use-case';
import { OrgRepository } from './org.repository';
import { ReadOrgsUseCase } from './read-orgs.use-case';
import { OrgDirectory } from './org-directory';

const USE_CASES = [
  AuthenticateKeyUseCase,
  BootstrapHubUseCase,
  CreateOrgUseCase,
  ReadOrgsUseCase,
  CreateApiKeyUseCase,
  RevokeApiKeyUseCase,
  ListApiKeysUseCase,
  OrgDirectory,
];

@Module({ providers: [OrgRepository, ApiKeyRepository, ...USE_CASES], exports: USE_CASES })
export class OrgsModule {}
