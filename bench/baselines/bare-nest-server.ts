/**
 * Baseline for the ingest scenario: a bare NestJS 11 app with one route that parses the same
 * JSON body and answers 200 — no validation, no database, no queue.
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class EchoController {
  @Post('hooks/bare')
  @HttpCode(200)
  accept(@Body() body: Record<string, unknown>) {
    return { ok: typeof body === 'object' };
  }

  @Get('health')
  health() {
    return { ok: true };
  }
}

@Module({ controllers: [EchoController] })
class BareModule {}

async function main() {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: false });
  app.useBodyParser('json', { limit: '1mb' });
  await app.listen(Number(process.env.PORT ?? 3901), '127.0.0.1');
}
void main();
