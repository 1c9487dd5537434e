import { Global, Module } from '@nestjs/common';
import { FairShare } from './fair-share';
import { Queues } from './queues';

@Global()
@Module({ providers: [Queues, FairShare], exports: [Queues, FairShare] })
export class QueuesModule {}
