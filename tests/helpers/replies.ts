import type { ReplyGenerator, ReplyRequest, ReplyResult } from '../../shared/replies/generator.js';

/** A reply generator that answers at once and records what it was asked. */
export class RecordingGenerator implements ReplyGenerator {
  readonly calls: ReplyRequest[] = [];
  gate: ((request: ReplyRequest) => Promise<void>) | undefined;

  async generate(request: ReplyRequest): Promise<ReplyResult> {
    this.calls.push(request);
    await this.gate?.(request);
    return {
      text: `Answer to: ${request.inbound.map((m) => m.text).join(' | ')}`,
      handoff: false,
      lineage: { generator: 'recording', passageIds: [], confidence: 1 },
    };
  }
}
