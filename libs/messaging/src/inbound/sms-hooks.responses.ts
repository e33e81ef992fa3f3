import { ApiProperty } from '@nestjs/swagger';

export class InboundReplyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'queued' })
  status!: string;
}

export class HttpInboundResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The stored inbound message' })
  messageId!: string;

  @ApiProperty({ description: 'The same text was delivered before (stored once)' })
  duplicate!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'The keyword family the text was read as', example: 'stop' })
  keyword!: string | null;

  @ApiProperty({ type: InboundReplyDto, isArray: true, description: 'Replies the hub sends (through the gateway)' })
  replies!: InboundReplyDto[];
}
