import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP/HTTP export as it arrived. */
export interface Export {
  readonly contentType: string;
  readonly body: Buffer;
}

/** A span of an OTLP/JSON export, its attributes and events flattened to plain values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's kind: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; attributes: Record<string, unknown> }[];
  readonly status: { code?: number; message?: string };
  /** The resource's attributes (service.name). */
  readonly resource: Record<string, unknown>;
}

/**
 * An OTLP/HTTP trace collector of the test's own, in process: takes POST /v1/traces in
 * http/json and protobuf, keeps every export raw, and decodes the JSON ones. Tests wait on
 * what arrives (`waitFor`), never on time.
 */
export class OtlpCollector {
  readonly exports: Export[] = [];
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];

  private readonly server: Server = createServer((req, res) => this.receive(req, res));
  private port = 0;

  static async start(): Promise<OtlpCollector> {
    const collector = new OtlpCollector();
    collector.server.listen(0, '127.0.0.1');
    await once(collector.server, 'listening');
    collector.port = (collector.server.address() as AddressInfo).port;
    return collector;
  }

  /** The base URL an exporter is given (OTEL_EXPORTER_OTLP_ENDPOINT). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every span of the JSON exports received so far. */
  get spans(): ReceivedSpan[] {
    return this.exports.filter((e) => e.contentType.startsWith('application/json')).flatMap((e) => decode(e.body));
  }

  /** Resolves once `check` holds over what was received (checked at every export). */
  waitFor(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const contentType = req.headers['content-type'] ?? '';
      this.exports.push({ contentType, body: Buffer.concat(chunks) });
      // An empty ExportTraceServiceResponse: all accepted.
      const json = contentType.startsWith('application/json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
      for (const w of [...this.waiters]) {
        if (!w.check()) continue;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  }
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };

function values(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of attributes ?? []) {
    const v = a.value;
    out[a.key] = v.stringValue ?? v.boolValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.doubleValue);
  }
  return out;
}

function decode(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8'));
  return (request.resourceSpans ?? []).flatMap((rs: any) =>
    (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map((s: any): ReceivedSpan => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind,
        attributes: values(s.attributes),
        events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: values(e.attributes) })),
        status: s.status ?? {},
        resource: values(rs.resource?.attributes),
      })),
    ),
  );
}
