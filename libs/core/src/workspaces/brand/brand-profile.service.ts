import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { invalidField } from '../../errors/domain-error';
import { BRAND_PROFILE_FIELDS, BrandProfile, BrandProfileField } from './brand-profile.entity';
import { PutBrandProfileDto } from './brand-profile.dto';
import { taxIdProblem } from './tax-id';

export type BrandProfileValues = Record<BrandProfileField, string | null>;

export interface BrandProfileView extends BrandProfileValues {
  missing: BrandProfileField[];
  updatedAt: Date | null;
}

/** Keeps each workspace's brand profile (the business facts 10DLC vetting asks for). */
@Injectable()
export class BrandProfileService {
  constructor(@InjectRepository(BrandProfile) private readonly profiles: Repository<BrandProfile>) {}

  async get(workspaceId: string): Promise<BrandProfileView> {
    const row = await this.profiles.findOne({ where: { workspaceId } });
    return view(row);
  }

  /** Replaces the whole profile; fields left out are cleared. */
  async put(workspaceId: string, dto: PutBrandProfileDto): Promise<BrandProfileView> {
    const values = {} as BrandProfileValues;
    for (const field of BRAND_PROFILE_FIELDS) {
      const value = dto[field];
      values[field] = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    }
    if (values.country) values.country = values.country.toUpperCase();
    if (values.taxId) {
      const problem = taxIdProblem(values.country, values.taxId);
      if (problem) throw invalidField('taxId', `${problem} for country ${values.country}`, 'invalid_tax_id');
    }
    await this.profiles.upsert({ workspaceId, ...values }, ['workspaceId']);
    return this.get(workspaceId);
  }
}

function view(row: BrandProfile | null): BrandProfileView {
  const values = {} as BrandProfileValues;
  for (const field of BRAND_PROFILE_FIELDS) values[field] = row ? row[field] : null;
  return { ...values, missing: BRAND_PROFILE_FIELDS.filter((f) => !values[f]), updatedAt: row ? row.updatedAt : null };
}
