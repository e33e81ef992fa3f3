import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_METADATA, AccessRule } from '@optline/core';

export interface RouteInfo {
  method: string;
  path: string;
  access: AccessRule | undefined;
  controller: string;
}

function join(...parts: string[]): string {
  return (
    '/' +
    parts
      .flatMap((p) => p.split('/'))
      .filter(Boolean)
      .join('/')
  );
}

/** Every HTTP route the app serves, with its declared access rule, read from Nest's metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? ''].flat() as string[];
    const classAccess = Reflect.getMetadata(ACCESS_METADATA, wrapper.metatype) as AccessRule | undefined;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const access = (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessRule | undefined) ?? classAccess;
      for (const base of controllerPaths) {
        for (const p of [path].flat()) routes.push({ method, path: join(base, p), access, controller: wrapper.name });
      }
    }
  }
  return routes;
}

/** Fills `:param` placeholders with a well-formed id that exists nowhere. */
export function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => (/id$/i.test(name) ? '00000000-0000-4000-8000-000000000000' : 'unknown'));
}
