import { z } from 'zod';
import { stringify } from 'yaml';
import { eventCatalogue, producingServices } from '../catalogue';
import { type EventDefinition, schemaFileOf } from '../define';
import { CLOUDEVENTS_CONTENT_TYPE, cloudEvent } from '../envelope';

/**
 * The published event contracts, generated from the declarations (ADR 0018): one JSON Schema
 * (draft 2020-12) per event and version describing `data`, one for the CloudEvents envelope, the
 * AsyncAPI 3 document, and the catalogue table of docs/events.md. Paths are repository-relative.
 */
export const SCHEMA_DIR = 'docs/events/schemas';
export const ASYNCAPI_PATH = 'docs/asyncapi.yaml';
export const CATALOGUE_PATH = 'docs/events.md';
export const CATALOGUE_BEGIN = '<!-- BEGIN generated event catalogue (npm run docs:events) -->';
export const CATALOGUE_END = '<!-- END generated event catalogue -->';

/**
 * Input side: what is on the wire, including events published before a field with a default was
 * added (they lack it). Published schemas leave additional properties open: consumers must
 * ignore fields they do not know, so adding an optional field is not a breaking change.
 */
const jsonSchema = (schema: z.ZodType, target: 'draft-2020-12' | 'draft-7') =>
  z.toJSONSchema(schema, { target, io: 'input', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;

export function dataSchema(
  event: EventDefinition,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
) {
  const { $schema, ...rest } = jsonSchema(event.data, target);
  return {
    ...(target === 'draft-2020-12' ? { $schema } : {}),
    title: `${event.type} v${event.version} data`,
    description: `${event.summary} The CloudEvents subject is the id of ${event.subject}.`,
    ...rest,
  };
}

export const envelopeSchema = (target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12') => {
  const { $schema, ...rest } = jsonSchema(cloudEvent, target);
  return target === 'draft-2020-12' ? { $schema, ...rest } : rest;
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file, path → content (before the repository's formatter). */
export function contractFiles(catalogueMarkdown: string): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${SCHEMA_DIR}/cloudevent.json`, json(envelopeSchema()));
  for (const event of eventCatalogue)
    files.set(`${SCHEMA_DIR}/${schemaFileOf(event)}`, json(dataSchema(event)));
  files.set(ASYNCAPI_PATH, asyncApiDocument());
  files.set(CATALOGUE_PATH, withCatalogue(catalogueMarkdown));
  return files;
}

const messageId = (e: EventDefinition) => `${e.type}.v${e.version}`;

export function asyncApiDocument(): string {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { CloudEvent: envelopeSchema('draft-7') };
  for (const e of eventCatalogue) {
    const id = messageId(e);
    schemas[id] = dataSchema(e, 'draft-7');
    messages[id] = {
      name: e.type,
      title: `${e.type} (data version ${e.version})`,
      summary: e.summary,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      headers: { $ref: '#/components/schemas/NatsHeaders' },
      payload: {
        allOf: [
          { $ref: '#/components/schemas/CloudEvent' },
          {
            type: 'object',
            properties: {
              type: { const: e.type },
              source: { const: e.service },
              dataversion: { const: String(e.version) },
              subject: { description: `The id of ${e.subject}.` },
              data: { $ref: `#/components/schemas/${id}` },
            },
          },
        ],
      },
    };
    const channel = channels[e.type] as { messages: Record<string, unknown> } | undefined;
    if (channel) channel.messages[id] = { $ref: `#/components/messages/${id}` };
    else
      channels[e.type] = {
        address: `{prefix}.${e.type}`,
        title: e.type,
        description: `In the stream {PREFIX}_${e.service.toUpperCase()} (subjects {prefix}.${e.service}.>).`,
        parameters: { prefix: { $ref: '#/components/parameters/prefix' } },
        messages: { [id]: { $ref: `#/components/messages/${id}` } },
      };
    operations[`receive.${e.type}`] = {
      action: 'receive',
      title: `Receive ${e.type}`,
      channel: { $ref: `#/channels/${e.type}` },
      messages: [{ $ref: `#/channels/${e.type}/messages/${id}` }],
    };
  }
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'Aftercare events',
      version: '1.0.0',
      description: [
        'Generated from the declarations in packages/events (`npm run docs:events`); do not edit.',
        'Every message is a CloudEvent 1.0 in structured content mode (the body is the whole',
        'event, JSON); the JSON Schema of each `data` is also published in docs/events/schemas,',
        'where the `dataschema` attribute points. Streams, retention and replay: docs/events.md.',
      ].join(' '),
    },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    servers: {
      nats: {
        host: 'localhost:4222',
        protocol: 'nats',
        description: 'NATS JetStream; one stream per producing service.',
      },
    },
    channels,
    operations,
    components: {
      parameters: {
        prefix: {
          default: 'aftercare',
          description: 'The first subject token, EVENT_SUBJECT_PREFIX of the producing services.',
        },
      },
      schemas: {
        ...schemas,
        NatsHeaders: {
          type: 'object',
          properties: {
            'Nats-Msg-Id': {
              type: 'string',
              description: 'The CloudEvent id; JetStream drops a duplicate within the window.',
            },
            'content-type': { type: 'string', const: CLOUDEVENTS_CONTENT_TYPE },
            traceparent: { type: 'string', description: 'W3C trace context of the cause.' },
            tracestate: { type: 'string' },
          },
          required: ['Nats-Msg-Id', 'content-type'],
        },
      },
      messages,
    },
  };
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The catalogue tables of docs/events.md, one per producing service. */
export function catalogueTables(): string {
  const lines: string[] = [];
  for (const service of producingServices) {
    lines.push(`### ${service} — stream \`AFTERCARE_${service.toUpperCase()}\``, '');
    lines.push('| type | version | when | subject is the id of | data schema |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const e of eventCatalogue.filter((x) => x.service === service)) {
      const file = schemaFileOf(e);
      lines.push(
        `| \`${e.type}\` | ${e.version} | ${e.summary.replace(/\|/g, '\\|')} | ${e.subject} | [${file}](events/schemas/${file}) |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

function withCatalogue(markdown: string): string {
  const start = markdown.indexOf(CATALOGUE_BEGIN);
  const end = markdown.indexOf(CATALOGUE_END);
  if (start < 0 || end < start)
    throw new Error(`${CATALOGUE_PATH} lacks the ${CATALOGUE_BEGIN} … ${CATALOGUE_END} markers`);
  return `${markdown.slice(0, start + CATALOGUE_BEGIN.length)}\n\n${catalogueTables()}\n\n${markdown.slice(end)}`;
}
