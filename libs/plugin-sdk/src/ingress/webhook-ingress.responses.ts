import { ApiProperty } from '@nestjs/swagger';
import type { IngressResult } from './webhook-ingress.service';

export class IngressResponseDto implements IngressResult {
  @ApiProperty({ description: 'Events the request carried', example: 1 })
  received!: number;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Ids of the events stored now' })
  stored!: string[];

  @ApiProperty({ description: 'Events already stored by an earlier delivery (answered 200, not processed again)', example: 0 })
  duplicates!: number;
}
