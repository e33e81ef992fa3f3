import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { ImportJob, Page } from '../../api/types';

export const importKeys = { all: ['imports'] as const, one: (id: string) => ['imports', 'one', id] as const };

const RUNNING = new Set(['uploading', 'queued', 'running']);

export function useImports() {
  return useQuery({
    queryKey: importKeys.all,
    queryFn: () => call<Page<ImportJob>>(api.GET('/v1/imports', { params: { query: { limit: 20 } as never } })),
    refetchInterval: (query) => (query.state.data?.data.some((job) => RUNNING.has(job.status)) ? 1_000 : false),
  });
}

/** One import, polled every second while it runs: the progress bar's source. */
export function useImport(id: string | null) {
  return useQuery({
    queryKey: importKeys.one(id ?? ''),
    queryFn: () => call<ImportJob>(api.GET('/v1/imports/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
    refetchInterval: (query) => (!query.state.data || RUNNING.has(query.state.data.status) ? 1_000 : false),
  });
}

export interface UploadInput {
  file: Blob;
  fileName: string;
  consentTypes: string[];
  note?: string;
  disclosureId?: string;
}

export function useUpload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UploadInput) =>
      call<ImportJob>(
        api.POST('/v1/contacts/import', {
          params: { query: { fileName: input.fileName, consentTypes: input.consentTypes, ...(input.note && { note: input.note }), ...(input.disclosureId && { disclosureId: input.disclosureId }) } as never },
          body: input.file as never,
          headers: { 'Content-Type': 'text/csv' },
          bodySerializer: (body: unknown) => body as BodyInit,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.all }),
  });
}

export const isRunning = (job: ImportJob) => RUNNING.has(job.status);
