import { Module } from '@nestjs/common';
import { DeliveryModule } from '@tocsin/delivery';
import { RateLimiter } from '@tocsin/platform';
import { AlertsGateway } from './alerts.gateway';

/** The socket edge: /alerts, authenticated in the handshake, replay then live. */
@Module({ imports: [DeliveryModule], providers: [AlertsGateway, RateLimiter] })
export class GatewayModule {}
