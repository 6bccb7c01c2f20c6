import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

/** The servers scripts/infra/up.sh starts (ports overridable as in the script). */
export const MONGODB_URI = `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}`;
export const KAFKA_BROKERS = [`127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`];

/** A database or topic name no other suite uses, so suites can run side by side. */
export const uniqueName = (prefix: string) =>
  `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;

export async function dropDatabase(name: string): Promise<void> {
  const client = await MongoClient.connect(MONGODB_URI);
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
