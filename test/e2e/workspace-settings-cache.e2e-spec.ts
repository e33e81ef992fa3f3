import { NotFoundError, WorkspaceService } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { TestHub } from '../utils/test-hub';

/**
 * Every inbound text and every send reads its workspace's settings through a short cache. When
 * an entry expires in the middle of a burst (a hundred STOPs at once), one read must serve the
 * burst: a read each queued a hundred queries for the same row in front of the STOPs' own.
 */
describe('workspace settings cache', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  const readsOf = (service: WorkspaceService) => jest.spyOn((service as unknown as { workspaces: { findOne: () => Promise<unknown> } }).workspaces, 'findOne');

  it('answers a burst of reads of an uncached workspace with one query', async () => {
    const ws = await hub.createWorkspace({ name: 'Burst' });
    const service = hub.get(WorkspaceService);
    const reads = readsOf(service);
    try {
      const answers = await Promise.all(Array.from({ length: 100 }, () => service.get(ws.id)));
      expect(new Set(answers.map((w) => w.id))).toEqual(new Set([ws.id]));
      expect(answers.every((w) => w.name === 'Burst')).toBe(true);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('does not remember a failed read: an unknown workspace is looked up again, and is 404 each time', async () => {
    const service = hub.get(WorkspaceService);
    const reads = readsOf(service);
    try {
      const unknown = randomUUID();
      await expect(service.get(unknown)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.get(unknown)).rejects.toBeInstanceOf(NotFoundError);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });
});
