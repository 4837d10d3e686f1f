// SPDX-License-Identifier: Apache-2.0
// Independent OTLP decoder: reads an ExportTraceServiceRequest body (binary protobuf, or OTLP/JSON) with
// the OpenTelemetry JS protobufjs definitions and prints it in a normalised JSON form:
// every field present (defaults filled), ids as lowercase hex, 64-bit integers and doubles as strings,
// enums as integers. Usage: node decode.js <protobuf|json> <file>
'use strict';
const fs = require('fs');
const root = require('otlp-pbjs/build/src/generated/root');

const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

// OTLP/JSON → protobufjs plain object: hex ids become bytes; everything else protobufjs reads itself.
function hexIdsToBytes(value) {
  if (Array.isArray(value)) return value.map(hexIdsToBytes);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (ID_FIELDS.has(key) && typeof v === 'string') {
      if (!/^([0-9a-fA-F]{2})*$/.test(v)) throw new Error(`${key}: not a hex string: ${v}`);
      out[key] = Buffer.from(v, 'hex');
    } else {
      out[key] = hexIdsToBytes(v);
    }
  }
  return out;
}

function normalise(value, key) {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value instanceof Uint8Array) return Buffer.from(value).toString(ID_FIELDS.has(key) ? 'hex' : 'base64');
  if (typeof value === 'number' && key === 'doubleValue') return String(value);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const k of Object.keys(value).sort()) out[k] = normalise(value[k], k);
  return out;
}

function main() {
  const [encoding, file] = process.argv.slice(2);
  const body = fs.readFileSync(file);
  let message;
  if (encoding === 'protobuf') {
    message = Request.decode(body);
  } else if (encoding === 'json') {
    // fromObject, not verify(): OTLP/JSON writes 64-bit integers as decimal strings, which
    // protobufjs reads (through Long) but verify() rejects.
    message = Request.fromObject(hexIdsToBytes(JSON.parse(body.toString('utf8'))));
  } else {
    throw new Error(`unknown encoding ${encoding} (protobuf|json)`);
  }
  const object = Request.toObject(message, { longs: String, enums: Number, bytes: Buffer, defaults: true, arrays: true });
  process.stdout.write(JSON.stringify(normalise(object, '')) + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`decode.js: ${e.message}\n`);
  process.exit(1);
}
