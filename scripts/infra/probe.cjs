'use strict';
// One protocol-level readiness probe, used by scripts/infra/*.sh:
//   node scripts/infra/probe.cjs kafka 127.0.0.1:9092     admin client: cluster metadata + list topics
//   node scripts/infra/probe.cjs mongo 127.0.0.1:27017    ping + insert/find/delete round trip
// Exit 0 when the server answers, 1 with the error on stderr otherwise. The clients are the
// project's own (kafkajs, mongodb from <repo>/node_modules), resolved relative to this file.
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const [kind, address, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg || 10000);

async function probeKafka() {
  const { Kafka, logLevel } = require(path.join(repoRoot, 'node_modules', 'kafkajs'));
  const kafka = new Kafka({
    clientId: 'billing-infra-probe',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (!cluster.brokers.length) throw new Error('metadata lists no broker yet');
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function probeMongo() {
  const { MongoClient } = require(path.join(repoRoot, 'node_modules', 'mongodb'));
  const client = new MongoClient(`mongodb://${address}/?directConnection=true`, {
    serverSelectionTimeoutMS: 3000,
    connectTimeoutMS: 3000,
  });
  await client.connect();
  try {
    await client.db('admin').admin().ping();
    // A write and a read, not just a ping: proves the SQLite backend is usable.
    const coll = client.db('infra_probe').collection('probe');
    const _id = `${process.pid}-${Date.now()}`;
    await coll.insertOne({ _id, at: new Date() });
    const found = await coll.findOne({ _id });
    if (!found) throw new Error('the inserted probe document was not found');
    await coll.deleteOne({ _id });
  } finally {
    await client.close().catch(() => {});
  }
}

const probes = { kafka: probeKafka, mongo: probeMongo };
if (!probes[kind] || !address) {
  console.error('usage: probe.cjs kafka|mongo HOST:PORT [timeoutMs]');
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error(`${kind} probe timed out after ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs);
probes[kind]().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err) => {
    console.error(`${kind} probe failed: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
