import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors, DomainError, Public } from '@optline/core';
import { Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { LinkService } from './link.service';

export class LinkCodeParamDto {
  @ApiProperty({ example: 'aB3dE5fG' })
  @Matches(/^[A-Za-z0-9]{4,32}$/, { message: 'code must be a short link code' })
  code: string;
}

/** The public redirect of branded short links. */
@ApiTags('links')
@Controller('l')
export class LinkController {
  constructor(private readonly links: LinkService) {}

  @Get(':code')
  @Public()
  @ApiOperation({ operationId: 'followLink', summary: 'Follow a branded short link: records the click and redirects (302) to the target' })
  @ApiFoundResponse({ description: 'Redirect; Location is the target URL', headers: { Location: { description: 'The target URL', schema: { type: 'string', format: 'uri' } } } })
  @ApiErrors(400, { status: 404, description: "link_not_found: no such link (on a branded domain: no such link of the domain's workspace)" })
  async follow(@Param() params: LinkCodeParamDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const url = await this.links.click(params.code, req.hostname);
    if (!url) throw new DomainError('not_found', 'link_not_found', 'This link does not exist');
    res.redirect(302, url);
  }
}
