import { Logger } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BootstrapHubUseCase } from '@tocsin/orgs';
import type { TocsinRole } from '@tocsin/runtime';
import { ApiModule } from './api.module';
import { configureHttp } from './http/configure-http';

/** The HTTP role: the API with its OpenAPI document; it creates the hub's own organisation on first start. */
export const apiRole: TocsinRole = {
  name: 'api',
  module: ApiModule,
  configure(app, config) {
    configureHttp(app, config);
    const doc = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle('Tocsin').setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });
  },
  async afterInit(app) {
    const outcome = await app.get(BootstrapHubUseCase).execute();
    if (!outcome.created) {
      return null;
    }
    new Logger('Tocsin').log({ orgId: outcome.orgId }, 'hub organisation created');
    return outcome.generatedKey === null ? null : { generatedAdminKey: outcome.generatedKey };
  },
};
