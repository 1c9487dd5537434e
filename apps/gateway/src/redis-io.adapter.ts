import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { RedisFactory, socketIoKey } from '@tocsin/platform';
import type { Server, ServerOptions } from 'socket.io';

/** socket.io on the app's HTTP port, with the Redis adapter: rooms and server-side events span every gateway. */
export class RedisIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly redis: RedisFactory,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      connectTimeout: 10_000,
    }) as Server;
    const pub = this.redis.durable('socket-pub');
    const sub = this.redis.durable('socket-sub');
    server.adapter(createAdapter(pub, sub, { key: socketIoKey(this.redis.prefix), requestsTimeout: 5_000 }));
    return server;
  }
}
