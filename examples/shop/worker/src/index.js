'use strict';
// Consumes order events pushed by the API and does the slow work off the request path.
const http = require('node:http');
const Redis = require('ioredis');
const { Pool } = require('pg');

const redis = new Redis(process.env.REDIS_URL);
const db = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
let lastJobAt = Date.now();
let stopping = false;

async function handleOrderCreated(orderId) {
  const { rows } = await db.query(
    'UPDATE order_items SET reserved = true WHERE order_id = $1 RETURNING product_id, quantity',
    [orderId],
  );
  console.log(JSON.stringify({ msg: 'order reserved', orderId, items: rows.length }));
}

async function loop() {
  while (!stopping) {
    const job = await redis.brpop('jobs:order-created', 5);
    lastJobAt = Date.now();
    if (job) await handleOrderCreated(Number(job[1]));
  }
}

// Health and metrics on one small port; the HEALTHCHECK and the kubelet probe it.
http
  .createServer((req, res) => {
    const healthy = Date.now() - lastJobAt < 60_000;
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(healthy ? 'ok\n' : 'stalled\n');
  })
  .listen(9464);

process.on('SIGTERM', () => {
  stopping = true;
  setTimeout(() => process.exit(0), 10_000).unref();
});

loop().catch((err) => {
  console.error(err);
  process.exit(1);
});
