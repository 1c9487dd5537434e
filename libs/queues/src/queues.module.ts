import { Global, Module } from '@nestjs/common';
import { FairShare } from './fair-share';
import { JobDispatcher } from './job-dispatcher';
import { Queues } from './queues';

@Global()
@Module({ providers: [Queues, FairShare, JobDispatcher], exports: [Queues, FairShare, JobDispatcher] })
export class QueuesModule {}
