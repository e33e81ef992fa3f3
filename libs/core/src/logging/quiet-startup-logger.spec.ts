import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Controller, Get } from '@nestjs/common';
import type { LoggerService } from '@nestjs/common';
import { QuietStartupLogger } from './quiet-startup-logger';

class Recorder implements LoggerService {
  readonly lines: { level: string; message: string; context: unknown }[] = [];
  log(message: string, context?: unknown) {
    this.lines.push({ level: 'info', message, context });
  }
  error(message: string, context?: unknown) {
    this.lines.push({ level: 'error', message, context });
  }
  warn(message: string, context?: unknown) {
    this.lines.push({ level: 'warn', message, context });
  }
  debug(message: string, context?: unknown) {
    this.lines.push({ level: 'debug', message, context });
  }
}

@Controller('things')
class ThingsController {
  @Get(':id')
  one() {
    return {};
  }
}

@Module({ controllers: [ThingsController] })
class TinyModule {}

describe('QuietStartupLogger', () => {
  it('moves Nest\'s module and route lines to debug and keeps everything else at its level', async () => {
    const recorder = new Recorder();
    const app = await NestFactory.create(TinyModule, { logger: new QuietStartupLogger(recorder) });
    await app.init();
    new Logger('Hub').log('listening');
    await app.close();

    const info = recorder.lines.filter((l) => l.level === 'info');
    expect(info.map((l) => l.context)).not.toContain('RouterExplorer');
    expect(info.map((l) => l.context)).not.toContain('RoutesResolver');
    expect(info.map((l) => l.context)).not.toContain('InstanceLoader');
    // Still there for LOG_LEVEL=debug.
    expect(recorder.lines).toContainEqual({ level: 'debug', message: expect.stringContaining('/things/:id'), context: 'RouterExplorer' });
    expect(info).toContainEqual({ level: 'info', message: 'listening', context: 'Hub' });
  });
});
