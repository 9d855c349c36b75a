import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller';

/** Serves the OpenAPI description; depends on nothing. */
@Module({ controllers: [OpenApiController] })
export class OpenApiModule {}
