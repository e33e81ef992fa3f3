import { Injectable } from '@nestjs/common';
import type { MessageType } from '../message/message.entity';
import { SenderDailyCap } from './sender-daily-cap';
import { BatchRouting, SenderRouter } from './sender-router';

/**
 * What the hand-off asks of a workspace's senders: which sender each message leaves from (and
 * its rate), and how much of the brand's daily cap is left. One facade, so the hand-off depends
 * on one service for both.
 */
@Injectable()
export class SenderGate {
  constructor(
    private readonly router: SenderRouter,
    private readonly cap: SenderDailyCap,
  ) {}

  route(workspaceId: string, messages: { id: string; type: MessageType; phone: string }[]): Promise<BatchRouting> {
    return this.router.route(workspaceId, messages);
  }

  /** Takes up to `count` of today's allowance under the brand's cap; returns how many may go. */
  reserve(workspaceId: string, count: number, routing: BatchRouting): Promise<number> {
    return this.cap.reserve(workspaceId, count, routing.dailyCap, routing.cappedAddresses);
  }

  release(workspaceId: string, count: number): Promise<void> {
    return this.cap.release(workspaceId, count);
  }

  /** When a message over today's cap may try again. */
  nextDay(): Date {
    return this.cap.nextDay();
  }
}
