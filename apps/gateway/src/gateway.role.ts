import { RedisFactory } from '@tocsin/platform';
import type { TocsinRole } from '@tocsin/runtime';
import { GatewayModule } from './gateway.module';
import { RedisIoAdapter } from './redis-io.adapter';

/** The socket role: /alerts on socket.io with the Redis adapter, so rooms span every gateway. */
export const gatewayRole: TocsinRole = {
  name: 'gateway',
  module: GatewayModule,
  configure(app) {
    app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisFactory)));
  },
};
