import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** A list answered whole: `{ data: T[] }`. */
export interface ListOfItems<T> {
  data: T[];
}

/** A list answered in pages: `{ data: T[], nextCursor }`; pass nextCursor back as `cursor`. */
export interface PageOfItems<T> {
  data: T[];
  nextCursor: string | null;
}

const lists = new Map<Type<unknown>, Type<ListOfItems<unknown>>>();
const pages = new Map<Type<unknown>, Type<PageOfItems<unknown>>>();

/** Schema names already given out, so two item classes with the same base name cannot overwrite each other's schema. */
const owners = new Map<string, Type<unknown>>();

function named<T>(cls: Type<T>, name: string, item: Type<unknown>): Type<T> {
  const owner = owners.get(name);
  if (owner && owner !== item) throw new Error(`OpenAPI schema ${name} is wanted for both ${owner.name} and ${item.name}: rename one item class`);
  owners.set(name, item);
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

function baseName(item: Type<unknown>): string {
  return item.name.replace(/(Response)?Dto$/, '');
}

/** The OpenAPI schema `<Item>List` of `{ data: Item[] }` (one class per item type). */
export function ListOf<T>(item: Type<T>): Type<ListOfItems<T>> {
  let cls = lists.get(item);
  if (!cls) {
    class List {
      @ApiProperty({ type: item, isArray: true })
      data!: unknown[];
    }
    cls = named(List, `${baseName(item)}List`, item);
    lists.set(item, cls);
  }
  return cls as Type<ListOfItems<T>>;
}

/** The OpenAPI schema `<Item>Page` of `{ data: Item[], nextCursor }` (one class per item type). */
export function PageOf<T>(item: Type<T>): Type<PageOfItems<T>> {
  let cls = pages.get(item);
  if (!cls) {
    class Page {
      @ApiProperty({ type: item, isArray: true })
      data!: unknown[];

      @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
      nextCursor!: string | null;
    }
    cls = named(Page, `${baseName(item)}Page`, item);
    pages.set(item, cls);
  }
  return cls as Type<PageOfItems<T>>;
}
