'use strict';
// Used by the image's HEALTHCHECK: no curl in a slim image, node is enough.
const http = require('node:http');

const req = http.get('http://127.0.0.1:9464/', { timeout: 2000 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('error', () => process.exit(1));
req.on('timeout', () => req.destroy());
