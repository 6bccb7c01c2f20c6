import { MongoClient } from 'mongodb';
import { MongoEventStore } from '@app/event-store';
import { rebuildMongoReadModels } from '@app/read-models';
(async () => {
  const client = await MongoClient.connect('mongodb://127.0.0.1:27017', { monitorCommands: true });
  const stats = new Map<string, { n: number; ms: number }>();
  const started = new Map<number, string>();
  client.on('commandStarted', (e) => {
    const coll = (e.command as any)[e.commandName];
    started.set(e.requestId, `${e.commandName} ${typeof coll === 'string' ? coll.replace(/_rebuild_\w+/, '_rebuild') : ''}`);
  });
  client.on('commandSucceeded', (e) => {
    const k = started.get(e.requestId) ?? e.commandName;
    const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += e.duration; stats.set(k, s);
  });
  const db = client.db(process.argv[2]);
  const store = await MongoEventStore.open(db);
  const t = Date.now();
  const r = await rebuildMongoReadModels({ db, store });
  console.log(r, Date.now() - t, 'ms');
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(String(Math.round(s.ms)).padStart(7), 'ms', String(s.n).padStart(6), k);
  await client.close();
})();
