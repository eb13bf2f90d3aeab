import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../src/store/index.js';
import { freshSchema, type TestSchema } from '../support/pg.js';

let schema: TestSchema | undefined;
const stores: PgStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await schema?.drop();
  schema = undefined;
});

describe('PgStore.ping (what /readyz and the ack path rely on)', () => {
  it('rejects a database that answers but takes no writes, and resolves for a writable one', async () => {
    schema = await freshSchema();
    const writable = new PgStore(schema.url);
    stores.push(writable);
    await writable.ping();
    const url = new URL(schema.url);
    url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c default_transaction_read_only=on`);
    const readOnly = new PgStore(url.toString());
    stores.push(readOnly);
    await expect(readOnly.ping()).rejects.toMatchObject({ code: 'unavailable', message: /takes no writes/ });
  });
});
