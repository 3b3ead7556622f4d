#!/usr/bin/env node
// decode.js: reads one OTLP export request (traces or logs; protobuf or
// OTLP/JSON) and prints it as canonical OTLP/JSON on stdout: hex ids, integer
// enums, 64-bit integers as decimal strings, fields at their default omitted.
// The same request in either encoding prints the same line.
//
//   node decode.js [--signal traces|logs] [--format pb|json] [--pretty]
//                  [--lenient] [FILE | -]
//
// FILE may also be a request stored by fake_receiver.py (a "POST /v1/... "
// head, headers, a blank line, then the body): signal and format are then
// taken from its path and Content-Type.
//
// Besides what the reference decoder (@opentelemetry/otlp-transformer's
// generated protobufjs module) checks, a strict pass rejects what that decoder
// would silently accept: unknown field numbers or JSON keys, a wire type that
// does not match the field, trailing bytes, ids of the wrong length, enum
// names instead of integers in JSON. --lenient turns the strict pass off.
// Exit status: 0 decoded; 1 malformed input; 2 usage, or the decoder's npm
// packages are not installed (run `peers.sh build decoder`).
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function die(code, msg) {
  process.stderr.write(`decode.js: ${msg}\n`);
  process.exit(code);
}

// ---- locating the npm packages -------------------------------------------
// They are installed by peers.sh outside the repository, in
// ${SPANLOG_PEERS_CACHE:-$HOME/.cache/spanlog-peers}/decoder/<key>/node_modules,
// where <key> is derived from package.json + package-lock.json beside this file.
function loadRoot() {
  const rel = '@opentelemetry/otlp-transformer/build/src/generated/root';
  const tried = [];
  const dirs = [];
  if (process.env.SPANLOG_DECODER_MODULES) dirs.push(process.env.SPANLOG_DECODER_MODULES);
  try {
    const h = crypto.createHash('sha256');
    h.update(fs.readFileSync(path.join(__dirname, 'package.json')));
    h.update(fs.readFileSync(path.join(__dirname, 'package-lock.json')));
    const key = h.digest('hex').slice(0, 16);
    const home = process.env.HOME || require('os').homedir();
    const cache = process.env.SPANLOG_PEERS_CACHE || path.join(home, '.cache', 'spanlog-peers');
    dirs.push(path.join(cache, 'decoder', key, 'node_modules'));
  } catch (e) { /* fall through to a plain require */ }
  dirs.push(path.join(__dirname, 'node_modules'));
  for (const d of dirs) {
    const p = path.join(d, rel);
    tried.push(d);
    if (fs.existsSync(p + '.js')) return require(p);
  }
  die(2, `@opentelemetry/otlp-transformer not found (looked in: ${tried.join(', ')}); ` +
    'run: tests/otlp/peers.sh build decoder');
}

// ---- schema for the strict pass -------------------------------------------
// [field number, JSON name, kind, message type for 'msg', repeated]
// kinds: msg, str, bytes, id16, id8, varint, enum, f64 (fixed64), dbl, f32 (fixed32), bool
const S = {
  TraceReq: [[1, 'resourceSpans', 'msg', 'ResourceSpans', 1]],
  LogsReq: [[1, 'resourceLogs', 'msg', 'ResourceLogs', 1]],
  ResourceSpans: [[1, 'resource', 'msg', 'Resource'], [2, 'scopeSpans', 'msg', 'ScopeSpans', 1], [3, 'schemaUrl', 'str']],
  ScopeSpans: [[1, 'scope', 'msg', 'Scope'], [2, 'spans', 'msg', 'Span', 1], [3, 'schemaUrl', 'str']],
  ResourceLogs: [[1, 'resource', 'msg', 'Resource'], [2, 'scopeLogs', 'msg', 'ScopeLogs', 1], [3, 'schemaUrl', 'str']],
  ScopeLogs: [[1, 'scope', 'msg', 'Scope'], [2, 'logRecords', 'msg', 'LogRecord', 1], [3, 'schemaUrl', 'str']],
  Resource: [[1, 'attributes', 'msg', 'KeyValue', 1], [2, 'droppedAttributesCount', 'varint'], [3, 'entityRefs', 'msg', 'EntityRef', 1]],
  EntityRef: [[1, 'schemaUrl', 'str'], [2, 'type', 'str'], [3, 'idKeys', 'str', null, 1], [4, 'descriptionKeys', 'str', null, 1]],
  Scope: [[1, 'name', 'str'], [2, 'version', 'str'], [3, 'attributes', 'msg', 'KeyValue', 1], [4, 'droppedAttributesCount', 'varint']],
  Span: [[1, 'traceId', 'id16'], [2, 'spanId', 'id8'], [3, 'traceState', 'str'], [4, 'parentSpanId', 'id8'],
    [5, 'name', 'str'], [6, 'kind', 'enum'], [7, 'startTimeUnixNano', 'f64'], [8, 'endTimeUnixNano', 'f64'],
    [9, 'attributes', 'msg', 'KeyValue', 1], [10, 'droppedAttributesCount', 'varint'],
    [11, 'events', 'msg', 'Event', 1], [12, 'droppedEventsCount', 'varint'],
    [13, 'links', 'msg', 'Link', 1], [14, 'droppedLinksCount', 'varint'], [15, 'status', 'msg', 'Status'], [16, 'flags', 'f32']],
  Event: [[1, 'timeUnixNano', 'f64'], [2, 'name', 'str'], [3, 'attributes', 'msg', 'KeyValue', 1], [4, 'droppedAttributesCount', 'varint']],
  Link: [[1, 'traceId', 'id16'], [2, 'spanId', 'id8'], [3, 'traceState', 'str'], [4, 'attributes', 'msg', 'KeyValue', 1],
    [5, 'droppedAttributesCount', 'varint'], [6, 'flags', 'f32']],
  Status: [[2, 'message', 'str'], [3, 'code', 'enum']],
  LogRecord: [[1, 'timeUnixNano', 'f64'], [11, 'observedTimeUnixNano', 'f64'], [2, 'severityNumber', 'enum'],
    [3, 'severityText', 'str'], [5, 'body', 'msg', 'AnyValue'], [6, 'attributes', 'msg', 'KeyValue', 1],
    [7, 'droppedAttributesCount', 'varint'], [8, 'flags', 'f32'], [9, 'traceId', 'id16'], [10, 'spanId', 'id8'],
    [12, 'eventName', 'str']],
  KeyValue: [[1, 'key', 'str'], [2, 'value', 'msg', 'AnyValue']],
  AnyValue: [[1, 'stringValue', 'str'], [2, 'boolValue', 'bool'], [3, 'intValue', 'varint'], [4, 'doubleValue', 'dbl'],
    [5, 'arrayValue', 'msg', 'ArrayValue'], [6, 'kvlistValue', 'msg', 'KeyValueList'], [7, 'bytesValue', 'bytes']],
  ArrayValue: [[1, 'values', 'msg', 'AnyValue', 1]],
  KeyValueList: [[1, 'values', 'msg', 'KeyValue', 1]],
};
const WIRE = { msg: 2, str: 2, bytes: 2, id16: 2, id8: 2, varint: 0, enum: 0, bool: 0, f64: 1, dbl: 1, f32: 5 };
const byNum = {}, byName = {};
for (const [t, fields] of Object.entries(S)) {
  byNum[t] = new Map(fields.map(f => [f[0], f]));
  byName[t] = new Map(fields.map(f => [f[1], f]));
}

class Malformed extends Error {}

// A root span has no parent; a log record need not belong to a trace.
const emptyIdOk = (type, name) => type === 'LogRecord' || name === 'parentSpanId';

function readVarint(buf, pos, where) {
  let v = 0n, shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Malformed(`truncated varint at offset ${pos} (${where})`);
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, pos];
    shift += 7n;
  }
  throw new Malformed(`varint longer than 10 bytes at offset ${pos} (${where})`);
}

// Walks the protobuf wire format against the schema; throws Malformed.
function checkWire(buf, start, end, type, where) {
  let pos = start;
  while (pos < end) {
    const tagAt = pos;
    let tag;
    [tag, pos] = readVarint(buf, pos, where);
    const num = Number(tag >> 3n), wt = Number(tag & 7n);
    const f = byNum[type].get(num);
    const at = `${where}.${f ? f[1] : '#' + num} at offset ${tagAt}`;
    if (num === 0) throw new Malformed(`field number 0 in ${where} at offset ${tagAt}`);
    if (!f) throw new Malformed(`unknown field ${num} (wire type ${wt}) in ${type} ${where} at offset ${tagAt}`);
    const kind = f[2];
    if (wt !== WIRE[kind]) { // (these messages have no packed repeated scalars)
      throw new Malformed(`wire type ${wt} for ${at}, expected ${WIRE[kind]}`);
    }
    switch (wt) {
      case 0: {
        let v;
        [v, pos] = readVarint(buf, pos, at);
        if (kind === 'bool' && v > 1n) throw new Malformed(`bool value ${v} for ${at}`);
        break;
      }
      case 1: if (pos + 8 > end) throw new Malformed(`truncated 64-bit value for ${at}`); pos += 8; break;
      case 5: if (pos + 4 > end) throw new Malformed(`truncated 32-bit value for ${at}`); pos += 4; break;
      case 2: {
        let len;
        [len, pos] = readVarint(buf, pos, at);
        if (BigInt(pos) + len > BigInt(end)) {
          throw new Malformed(`length ${len} runs past the end of its message for ${at} (${end - pos} bytes left)`);
        }
        const n = Number(len);
        if ((kind === 'id16' || kind === 'id8') && n !== (kind === 'id16' ? 16 : 8) && !(n === 0 && emptyIdOk(type, f[1]))) {
          throw new Malformed(`${at}: ${n} bytes, expected ${kind === 'id16' ? 16 : 8}`);
        }
        if (kind === 'str') {
          try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(pos, pos + n)); } catch (e) {
            throw new Malformed(`${at}: string is not valid UTF-8`);
          }
        }
        if (kind === 'msg') checkWire(buf, pos, pos + n, f[3], `${where}.${f[1]}`);
        pos += n;
        break;
      }
      default: throw new Malformed(`wire type ${wt} (group or invalid) for ${at}`);
    }
  }
  if (pos !== end) throw new Malformed(`message ${where} overruns its length`);
}

// Walks parsed OTLP/JSON against the schema; throws Malformed.
function checkJson(obj, type, where) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new Malformed(`${where}: expected an object`);
  }
  for (const [k, v] of Object.entries(obj)) {
    const f = byName[type].get(k);
    const at = `${where}.${k}`;
    if (!f) throw new Malformed(`unknown key ${JSON.stringify(k)} in ${type} at ${where}`);
    if (v === null) continue;
    const vals = f[4] ? v : [v];
    if (f[4] && !Array.isArray(v)) throw new Malformed(`${at}: expected an array`);
    vals.forEach((x, i) => {
      const a = f[4] ? `${at}[${i}]` : at;
      switch (f[2]) {
        case 'msg': checkJson(x, f[3], a); break;
        case 'str': if (typeof x !== 'string') throw new Malformed(`${a}: expected a string`); break;
        case 'bytes': if (typeof x !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(x)) throw new Malformed(`${a}: expected base64`); break;
        case 'id16': case 'id8': {
          const n = f[2] === 'id16' ? 32 : 16;
          if (typeof x !== 'string' || !(x.length === n || (x.length === 0 && emptyIdOk(type, k))) || !/^[0-9a-fA-F]*$/.test(x)) {
            throw new Malformed(`${a}: expected ${n} hex digits, got ${JSON.stringify(x)}`);
          }
          break;
        }
        case 'enum':
          if (!Number.isInteger(x)) throw new Malformed(`${a}: enums are integers in OTLP/JSON, got ${JSON.stringify(x)}`);
          break;
        case 'varint': case 'f64': case 'f32':
          if (!(Number.isInteger(x) || (typeof x === 'string' && /^-?[0-9]+$/.test(x)))) {
            throw new Malformed(`${a}: expected an integer or a decimal string, got ${JSON.stringify(x)}`);
          }
          break;
        case 'dbl':
          if (!(typeof x === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(x) ||
                (typeof x === 'string' && x !== '' && !isNaN(Number(x))))) {
            throw new Malformed(`${a}: expected a number, got ${JSON.stringify(x)}`);
          }
          break;
        case 'bool': if (typeof x !== 'boolean') throw new Malformed(`${a}: expected true or false`); break;
      }
    });
  }
  if (type === 'AnyValue' && Object.keys(obj).length > 1) {
    throw new Malformed(`${where}: an AnyValue holds one value, got ${Object.keys(obj).join(', ')}`);
  }
}

// ---- protobuf signal sniffing -----------------------------------------------
// Request field 1 -> Resource* field 2 -> Scope* field 2 -> first field of the
// first span / log record: a Span starts with trace_id (wire 2), a LogRecord
// with a fixed64 or varint field. Returns 'traces', 'logs' or null.
function sniffSignal(buf) {
  function fields(s, e) {
    const out = [];
    let p = s;
    try {
      while (p < e) {
        let t; [t, p] = readVarint(buf, p, 'sniff');
        const num = Number(t >> 3n), wt = Number(t & 7n);
        if (wt === 2) { let l; [l, p] = readVarint(buf, p, 'sniff'); out.push([num, wt, p, p + Number(l)]); p += Number(l); }
        else if (wt === 0) { [, p] = readVarint(buf, p, 'sniff'); out.push([num, wt]); }
        else if (wt === 1) { out.push([num, wt]); p += 8; }
        else if (wt === 5) { out.push([num, wt]); p += 4; }
        else return out;
      }
    } catch (e) { /* partial */ }
    return out;
  }
  for (const r of fields(0, buf.length).filter(f => f[0] === 1 && f[1] === 2)) {
    for (const sc of fields(r[2], r[3]).filter(f => f[0] === 2 && f[1] === 2)) {
      for (const it of fields(sc[2], sc[3]).filter(f => f[0] === 2 && f[1] === 2)) {
        const first = fields(it[2], it[3]);
        if (first.some(f => f[0] === 1 && f[1] === 1)) return 'logs';
        if (first.some(f => (f[0] === 1 || f[0] === 2) && f[1] === 2)) return 'traces';
        if (first.some(f => f[0] === 11 || f[0] === 12)) return 'logs';
      }
    }
  }
  return null;
}

// A field at its proto3 default is absent from the canonical form, whichever
// encoding carried it (protobuf omits it; JSON may spell it out). AnyValue's
// members are a oneof with presence: an empty string, 0 or false stays.
const ONEOF = new Set(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue']);
function dropDefaults(o) {
  if (Array.isArray(o)) return o.map(dropDefaults);
  if (!o || typeof o !== 'object') return o;
  const r = {};
  for (const [k, v] of Object.entries(o)) {
    if (!ONEOF.has(k) && (v === '' || v === 0 || v === '0' || v === false || (Array.isArray(v) && v.length === 0))) continue;
    r[k] = dropDefaults(v);
  }
  return r;
}

// ---- main ------------------------------------------------------------------
function main() {
  let signal = null, format = null, pretty = false, lenient = false, file = '-';
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--signal') signal = argv[++i];
    else if (a === '--format') format = argv[++i];
    else if (a === '--pretty') pretty = true;
    else if (a === '--lenient') lenient = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: decode.js [--signal traces|logs] [--format pb|json] [--pretty] [--lenient] [FILE|-]\n');
      process.exit(0);
    } else if (a.startsWith('--')) die(2, `unknown option ${a}`);
    else file = a;
  }
  if (signal && !['traces', 'logs'].includes(signal)) die(2, `--signal must be traces or logs, not ${signal}`);
  if (format === 'protobuf') format = 'pb';
  if (format && !['pb', 'json'].includes(format)) die(2, `--format must be pb or json, not ${format}`);

  let buf;
  try { buf = fs.readFileSync(file === '-' ? 0 : file); } catch (e) { die(2, `cannot read ${file}: ${e.message}`); }

  // A request stored by fake_receiver.py.
  const head = buf.subarray(0, 8).toString('latin1');
  if (/^(POST|PUT|GET) \//.test(head)) {
    const sep = buf.indexOf('\r\n\r\n');
    if (sep < 0) die(1, `${file}: a stored request without the blank line after its headers`);
    const lines = buf.subarray(0, sep).toString('latin1').split('\r\n');
    const reqPath = lines[0].split(' ')[1] || '';
    const hdr = {};
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      if (c > 0) hdr[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
    }
    if (!signal) signal = reqPath.endsWith('/v1/logs') ? 'logs' : reqPath.endsWith('/v1/traces') ? 'traces' : null;
    const ct = (hdr['content-type'] || '').toLowerCase();
    if (!format) format = ct.startsWith('application/json') ? 'json' : ct.startsWith('application/x-protobuf') ? 'pb' : null;
    buf = buf.subarray(sep + 4);
  }

  if (!format) {
    const s = buf.toString('latin1', 0, Math.min(buf.length, 64)).trimStart();
    format = s.startsWith('{') ? 'json' : 'pb';
  }

  const root = loadRoot();
  const P = root.opentelemetry.proto.collector;
  const ID = new Set(['traceId', 'spanId', 'parentSpanId']);
  const walk = (o, f) => Array.isArray(o) ? o.map(x => walk(x, f))
    : (o && typeof o === 'object')
      ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ID.has(k) && typeof v === 'string' ? f(v) : walk(v, f)]))
      : o;

  let msg, T;
  try {
    if (format === 'json') {
      let obj;
      try { obj = JSON.parse(buf.toString('utf8')); } catch (e) { throw new Malformed(`not JSON: ${e.message}`); }
      if (!signal) {
        if (obj && obj.resourceLogs !== undefined) signal = 'logs';
        else if (obj && obj.resourceSpans !== undefined) signal = 'traces';
        else if (obj && typeof obj === 'object' && Object.keys(obj).length === 0) signal = 'traces';
        else throw new Malformed('neither resourceSpans nor resourceLogs at the top level');
      }
      if (!lenient) checkJson(obj, signal === 'logs' ? 'LogsReq' : 'TraceReq', signal === 'logs' ? 'logs' : 'traces');
      T = signal === 'logs' ? P.logs.v1.ExportLogsServiceRequest : P.trace.v1.ExportTraceServiceRequest;
      msg = T.fromObject(walk(obj, h => Buffer.from(h, 'hex').toString('base64')));
    } else {
      if (!signal) signal = sniffSignal(buf) || 'traces';
      if (!lenient) checkWire(buf, 0, buf.length, signal === 'logs' ? 'LogsReq' : 'TraceReq', signal === 'logs' ? 'logs' : 'traces');
      T = signal === 'logs' ? P.logs.v1.ExportLogsServiceRequest : P.trace.v1.ExportTraceServiceRequest;
      try { msg = T.decode(buf); } catch (e) { throw new Malformed(`protobuf: ${e.message}`); }
    }
    const err = T.verify(msg);
    if (err) throw new Malformed(`does not verify as ${signal}: ${err}`);
  } catch (e) {
    if (e instanceof Malformed) die(1, `malformed ${format === 'json' ? 'OTLP/JSON' : 'protobuf'} ${signal || ''} request: ${e.message}`);
    die(1, `malformed ${format} ${signal || ''} request: ${e.message}`);
  }
  const out = T.toObject(msg, { longs: String, enums: Number, bytes: String });
  const canon = dropDefaults(walk(out, b => Buffer.from(b, 'base64').toString('hex')));
  process.stdout.write(JSON.stringify(canon, null, pretty ? 2 : 0) + '\n');
}

main();
