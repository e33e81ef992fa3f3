import { ApiProperty } from '@nestjs/swagger';
import { ContactResponseDto } from './contact.responses';

/** One contact as `GET /v1/contacts/:id` answers it: with the link to their preference page. */
export class ContactDetailResponseDto extends ContactResponseDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The signed link to the person's preference page (change or stop what they receive); null once erased. It changes consent: share it only with them.",
    example: 'https://hub.example.com/p/Pwwa…',
  })
  preferenceUrl!: string | null;
}
