// SPDX-License-Identifier: Apache-2.0
// Node.js peer of the interop tests: sends or receives one traced message over Redis Streams or AMQP
// with the OpenTelemetry JS W3C propagator, and prints what it saw as one JSON line.
// Usage: node peer.js redis-produce|redis-consume|amqp-produce|amqp-consume PORT DESTINATION
'use strict';
const crypto = require('crypto');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const [mode, port, destination] = process.argv.slice(2);
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('frame-tracking-interop');
const propagator = new W3CTraceContextPropagator();

// AMQP header values arrive as strings (long string) or Buffers (byte array).
const getter = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    return Buffer.isBuffer(v) ? v.toString('utf8') : v;
  },
};

/// A producer span under a remote parent with a random trace id and a tracestate, so the
/// receiving side must carry both.
function startProducerSpan() {
  const parent = propagator.extract(api.ROOT_CONTEXT, {
    traceparent: `00-${crypto.randomBytes(16).toString('hex')}-${crypto.randomBytes(8).toString('hex')}-01`,
    tracestate: 'nodejs=t61rcWkgMzE',
  }, api.defaultTextMapGetter);
  const span = tracer.startSpan(`send ${destination}`, { kind: api.SpanKind.PRODUCER }, parent);
  const carrier = {};
  propagator.inject(api.trace.setSpan(parent, span), carrier, api.defaultTextMapSetter);
  return { span, carrier };
}

function processSpan(carrier) {
  const parent = propagator.extract(api.ROOT_CONTEXT, carrier, getter);
  const remote = api.trace.getSpanContext(parent);
  const span = tracer.startSpan(`process ${destination}`, { kind: api.SpanKind.CONSUMER }, parent);
  span.end();
  const sc = span.spanContext();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: remote ? remote.spanId : '',
    traceFlags: sc.traceFlags,
    traceState: sc.traceState ? sc.traceState.serialize() : '',
  };
}

function report(span, extra) {
  const sc = span.spanContext();
  console.log(JSON.stringify({ traceId: sc.traceId, spanId: sc.spanId,
    traceState: sc.traceState ? sc.traceState.serialize() : '', ...extra }));
}

async function redisProduce() {
  const { createClient } = require('redis');
  const client = createClient({ socket: { host: '127.0.0.1', port: Number(port) } });
  await client.connect();
  const { span, carrier } = startProducerSpan();
  const id = await client.xAdd(destination, '*', { payload: 'from-node', ...carrier });
  span.end();
  await client.quit();
  report(span, { messageId: id });
}

async function redisConsume() {
  const { createClient } = require('redis');
  const client = createClient({ socket: { host: '127.0.0.1', port: Number(port) } });
  await client.connect();
  const reply = await client.xRead({ key: destination, id: '0' }, { COUNT: 1, BLOCK: 5000 });
  await client.quit();
  if (!reply || reply.length === 0) throw new Error(`no entry in stream ${destination}`);
  const message = reply[0].messages[0];
  console.log(JSON.stringify({ ...processSpan(message.message), payload: message.message.payload }));
}

async function amqpProduce() {
  const amqp = require('amqplib');
  const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(destination, { durable: true });
  const { span, carrier } = startProducerSpan();
  // Many clients send header text as byte arrays: the traceparent goes as one.
  const headers = { traceparent: Buffer.from(carrier.traceparent, 'utf8'), tracestate: carrier.tracestate };
  await new Promise((resolve, reject) => channel.sendToQueue(destination, Buffer.from('from-node'),
    { persistent: true, headers, messageId: 'node-1' }, (err) => (err ? reject(err) : resolve())));
  span.end();
  await channel.close();
  await connection.close();
  report(span, { messageId: 'node-1' });
}

async function amqpConsume() {
  const amqp = require('amqplib');
  const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
  const channel = await connection.createChannel();
  await channel.assertQueue(destination, { durable: true });
  let message = false;
  for (let i = 0; i < 100 && !message; ++i) {
    message = await channel.get(destination, { noAck: false });
    if (!message) await new Promise((r) => setTimeout(r, 50));
  }
  if (!message) throw new Error(`no message in queue ${destination}`);
  channel.ack(message);
  await channel.close();
  await connection.close();
  console.log(JSON.stringify({ ...processSpan(message.properties.headers || {}), payload: message.content.toString() }));
}

const modes = { 'redis-produce': redisProduce, 'redis-consume': redisConsume,
  'amqp-produce': amqpProduce, 'amqp-consume': amqpConsume };
if (!modes[mode]) {
  console.error('usage: node peer.js redis-produce|redis-consume|amqp-produce|amqp-consume PORT DESTINATION');
  process.exit(2);
}
modes[mode]().catch((err) => { console.error(err && err.stack ? err.stack : String(err)); process.exit(1); });
