/**
 * An incremental parser of text/event-stream (HTML Living Standard, "Server-sent events",
 * §9.2.6 Interpreting an event stream): fed chunks as they arrive, it yields events as soon as
 * a blank line dispatches them. Handles CRLF, LF and CR line ends (also split across chunks),
 * a leading BOM, comments, multi-line `data`, `event`, `id` (ignored when it holds NUL) and
 * `retry`. Pure: the probe feeds it live chunks, the check re-feeds the recorded body.
 */

export interface SseEvent {
  /** Position of the event in the stream (0-based). */
  readonly index: number;
  /** `event:` field, "message" when absent. */
  readonly type: string;
  readonly data: string;
  /** Last event id in force when the event was dispatched. */
  readonly lastEventId: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private started = false;
  /** The previous chunk ended in CR: a LF opening the next one belongs to that line end. */
  private pendingCr = false;
  private data: string[] = [];
  private eventType = '';
  private lastEventId = '';
  private count = 0;
  /** `retry:` in force, when the stream set one. */
  retryMs: number | undefined;
  /** Comment lines seen (": keep-alive" and the like). */
  comments = 0;

  /** Feeds a chunk; returns the events it completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else this.pendingCr = true;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** End of stream: an event not terminated by a blank line is discarded (per the standard). */
  end(): SseEvent[] {
    const rest = this.decoder.decode();
    return rest ? this.push(rest) : [];
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments++;
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const type = this.eventType;
    this.data = [];
    this.eventType = '';
    if (!data.length) return undefined;
    return { index: this.count++, type: type || 'message', data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

/** All events of a whole recorded body. */
export function parseSse(body: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(body), ...parser.end()];
}
