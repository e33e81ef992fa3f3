import { ApiProperty } from '@nestjs/swagger';

export const TOKEN_HEALTHS = ['ok', 'refresh_failed', 'manual', 'not_connected'] as const;
export type TokenHealth = (typeof TOKEN_HEALTHS)[number];

/** What a plugin's OAuth connection looks like to the console: who, what it may do, and whether its token still works. */
export class OAuthConnectionDto {
  @ApiProperty({ example: true, description: 'The installation holds a token obtained by OAuth (or pasted by hand).' })
  connected: boolean;

  @ApiProperty({ enum: ['oauth', 'manual', 'none'], example: 'oauth', description: 'How the token got here: the Connect flow, pasted by hand (private apps), or not at all.' })
  method: 'oauth' | 'manual' | 'none';

  @ApiProperty({ type: String, nullable: true, example: 'acme-dental.hubspot.com (portal 61829414)', description: 'The vendor account that approved the connection.' })
  account: string | null;

  @ApiProperty({ type: [String], example: ['crm.objects.contacts.read', 'crm.objects.contacts.write'], description: 'The scopes the vendor granted.' })
  scopes: string[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  connectedAt: string | null;

  @ApiProperty({
    enum: TOKEN_HEALTHS,
    example: 'ok',
    description: '`ok`: the access token is valid or refreshes; `refresh_failed`: the vendor refused the refresh token (revoked, expired or uninstalled): connect again; `manual`: a pasted token, not refreshed by the hub; `not_connected`.',
  })
  tokenHealth: TokenHealth;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the current access token expires; the hub refreshes it before then and on a 401.' })
  accessTokenExpiresAt: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastRefreshAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: "The vendor's last refusal, in its words." })
  problem: string | null;
}

export class OAuthAuthorizeUrlDto {
  @ApiProperty({
    example: 'https://app.hubspot.com/oauth/authorize?client_id=…&redirect_uri=…&scope=…&state=…',
    description: "Send the admin's browser here: the vendor asks for consent, then redirects to the installation's OAuth callback, which returns to the console. Valid for 10 minutes, once.",
  })
  authorizeUrl: string;
}
