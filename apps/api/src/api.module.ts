import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AlertsModule } from '@tocsin/alerts';
import { NormalizationModule } from '@tocsin/normalization';
import { OrgsModule } from '@tocsin/orgs';
import { RateLimiter } from '@tocsin/platform';
import { ApiErrorFilter } from './http/api-error.filter';
import { AlertsController } from './alerts/alerts.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { RefusalCache } from './auth/rate-buckets';
import { StorableTextPipe } from './http/storable-text.pipe';
import { OrgsController } from './orgs/orgs.controller';
import { AuditController } from './orgs/audit.controller';
import { OrgAuditController } from './orgs/org-audit.controller';
import { RecipientsController } from './orgs/recipients.controller';
import { ConstituencyController } from './orgs/constituency.controller';
import { CoordinatedAlertsController } from './coordination/coordinated-alerts.controller';
import { IndicatorsController } from './indicators/indicators.controller';
import { VettingModule } from '@tocsin/vetting';
import { CoordinationModule } from '@tocsin/coordination';
import { DeliveryModule } from '@tocsin/delivery';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { TaxiiModule } from '@tocsin/taxii';
import { KeyCheck } from './auth/key-check';
import { TaxiiAuthGuard } from './taxii/taxii-auth.guard';
import { TaxiiController } from './taxii/taxii.controller';
import { TaxiiObjectsController } from './taxii/taxii-objects.controller';
import { TaxiiWriteController } from './taxii/taxii-write.controller';
import { SessionCheck } from './auth/session-check';
import { SignInLimit } from './auth/sign-in-limit';
import { UsersController } from './users/users.controller';
import { SessionsController } from './users/sessions.controller';
import { StatsController } from './stats/stats.controller';

/** The HTTP edge: controllers, the API-key and rate-limit guards and the problem filter (health and metrics are served by every role). */
@Module({
  imports: [
    OrgsModule,
    AlertsModule,
    NormalizationModule,
    VettingModule,
    CoordinationModule,
    DeliveryModule,
    TaxiiModule,
  ],
  controllers: [
    OrgsController,
    AuditController,
    OrgAuditController,
    RecipientsController,
    ConstituencyController,
    AlertsController,
    CoordinatedAlertsController,
    IndicatorsController,
    SubscriptionsController,
    TaxiiController,
    TaxiiObjectsController,
    TaxiiWriteController,
    UsersController,
    SessionsController,
    StatsController,
  ],
  providers: [
    RateLimiter,
    RefusalCache,
    KeyCheck,
    SessionCheck,
    SignInLimit,
    // Guards run in this order: authenticate (and limit failures per address; Bearer on the API, Basic or Bearer
    // on TAXII), then limit per organisation.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: TaxiiAuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ApiErrorFilter },
    { provide: APP_PIPE, useClass: StorableTextPipe },
  ],
})
export class ApiModule {}
