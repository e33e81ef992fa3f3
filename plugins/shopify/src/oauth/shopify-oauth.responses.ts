import { ApiProperty } from '@nestjs/swagger';

export class ShopifyAuthorizeUrlDto {
  @ApiProperty({
    example: 'https://acme-outdoors.myshopify.com/admin/oauth/authorize?client_id=…&scope=read_checkouts,…&redirect_uri=…&state=…',
    description: "Send the admin's browser here: Shopify asks the merchant to approve, then calls the installation's OAuth callback. Valid for 10 minutes, once.",
  })
  authorizeUrl: string;
}

export class ShopifyConnectedDto {
  @ApiProperty({ example: true })
  connected: boolean;

  @ApiProperty({ example: 'acme-outdoors.myshopify.com' })
  shopDomain: string;

  @ApiProperty({ example: ['read_checkouts', 'read_orders', 'read_fulfillments', 'write_customers'], description: 'The scopes Shopify granted.' })
  scopes: string[];
}
