import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SubscriptionsUseCase } from '@tocsin/delivery';
import { INDICATOR_TYPES, SEVERITIES, TLP_LABELS, type Actor } from '@tocsin/domain';
import { CurrentActor } from '../auth/current-actor.decorator';

/** Documentation of the filters; validation is the domain's (parseSubscriptionInput). */
export class SubscriptionFiltersDto {
  @ApiPropertyOptional({ enum: SEVERITIES }) minSeverity?: string;
  @ApiPropertyOptional({ enum: TLP_LABELS, isArray: true }) tlp?: string[];
  @ApiPropertyOptional({ description: 'RSIT `taxonomy` or `taxonomy/type`', isArray: true, type: String })
  classifications?: string[];
  @ApiPropertyOptional({ enum: INDICATOR_TYPES, isArray: true }) indicatorTypes?: string[];
  @ApiPropertyOptional({ isArray: true, type: String }) sectors?: string[];
  @ApiPropertyOptional({ description: 'targeted countries, ISO 3166-1 alpha-2', isArray: true, type: String })
  countries?: string[];
  @ApiPropertyOptional({ description: "the submitter's country, ISO 3166-1 alpha-2", isArray: true, type: String })
  sourceCountries?: string[];
  @ApiPropertyOptional({ description: 'only coordinated alerts (coordinated-* events)' }) coordinatedOnly?: boolean;
}

export class SubscriptionDto {
  @ApiPropertyOptional({ maxLength: 200 }) name?: string;
  @ApiProperty({ type: SubscriptionFiltersDto, required: false }) filters?: SubscriptionFiltersDto;
}

/** The caller's organisation's subscriptions (any key that may read alerts); see README, "Subscriptions". */
@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsUseCase) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: SubscriptionDto) {
    return this.subscriptions.create(actor, body);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.subscriptions.list(actor);
  }

  /** 404 for another organisation's subscription, exactly as for one that does not exist. */
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.subscriptions.get(actor, id);
  }

  /** Replaces its name and/or its filters (whole); attached sockets follow at once. */
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SubscriptionDto) {
    return this.subscriptions.update(actor, id, body);
  }

  /** Deletes it; a socket attached to nothing else is disconnected. */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.subscriptions.remove(actor, id);
  }
}
