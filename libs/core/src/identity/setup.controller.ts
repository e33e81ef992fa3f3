import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth-context';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { SetupDto, SetupStatusDto, SignedInDto } from './identity.dto';
import { SetupService } from './setup.service';
import { SignInService } from './sign-in.service';

@ApiTags('auth')
@Controller('v1/setup')
export class SetupController {
  constructor(
    private readonly setup: SetupService,
    private readonly signIns: SignInService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'getSetupStatus', summary: 'Whether this hub still needs its first-run setup (no account exists yet)' })
  @ApiOkResponse({ type: SetupStatusDto })
  async status(): Promise<SetupStatusDto> {
    return { needsSetup: await this.setup.needsSetup() };
  }

  @Post()
  @Public()
  @ApiOperation({
    operationId: 'completeSetup',
    summary:
      'First run: create the first workspace and its admin with the one-time setup code printed in the hub log, and sign in. 403 setup_code_invalid; 409 setup_done; 422 password shorter than 12.',
  })
  @ApiCreatedResponse({ type: SignedInDto })
  @ApiErrors(
    400,
    { status: 403, description: 'setup_code_invalid: not a current setup code (it is printed in the hub log at boot)' },
    { status: 409, description: 'setup_done: an account exists already' },
    { status: 422, description: 'password_too_short: details[0].field is password' },
  )
  async complete(@Body() dto: SetupDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedInDto> {
    const { user, workspace } = await this.setup.complete(dto);
    return this.signIns.signIn(req, res, user, workspace);
  }
}
