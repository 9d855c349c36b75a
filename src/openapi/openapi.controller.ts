import { Controller, Get, Header } from '@nestjs/common';
import { openApiJson } from './openapi.document';

/** GET /openapi.json: the API's OpenAPI 3.1 description, the bytes of docs/openapi.json. */
@Controller()
export class OpenApiController {
  private readonly document = openApiJson();

  @Get('openapi.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  serve(): string {
    return this.document;
  }
}
