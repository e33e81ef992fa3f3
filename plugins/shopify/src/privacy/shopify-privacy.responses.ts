import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataRequestSummary, PrivacyRecord } from './shopify-privacy.service';

export class DataRequestSummaryDto implements DataRequestSummary {
  @ApiProperty() contactFound!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId!: string | null;
  @ApiProperty({ type: String, enum: ['shopify_customer_id', 'phone'], nullable: true }) matchedBy!: 'shopify_customer_id' | 'phone' | null;
  @ApiProperty({ type: String, isArray: true, description: 'Which personal fields are set (names only, no values)', example: ['phone', 'email'] }) fieldsHeld!: string[];
  @ApiProperty({ type: String, isArray: true }) attributeNames!: string[];
  @ApiProperty({ type: String, isArray: true, example: ['shopify'] }) externalSystems!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, example: { marketing: 'opted_in' } }) consent!: Record<string, string> | null;
  @ApiProperty() erased!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Where an admin exports the full record' }) export!: string | null;
}

export class PrivacyRecordDto implements PrivacyRecord {
  @ApiProperty({ description: "Shopify's X-Shopify-Webhook-Id" }) webhookId!: string;
  @ApiProperty({ example: 'customers/data_request' }) topic!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true }) shopifyCustomerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) dataRequestId!: string | null;
  @ApiProperty({ type: String, isArray: true }) ordersMentioned!: string[];
  @ApiProperty({ enum: ['reported', 'erased', 'not_found', 'shop_erased'] }) outcome!: PrivacyRecord['outcome'];
  @ApiPropertyOptional({ type: DataRequestSummaryDto }) summary?: DataRequestSummaryDto;
  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true }) erasedContactIds?: string[];
  @ApiPropertyOptional() note?: string;
}
