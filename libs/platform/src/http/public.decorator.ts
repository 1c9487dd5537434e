import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tocsin:public';
/** Marks a route that needs no API key (health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
