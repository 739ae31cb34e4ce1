/** The administrators' online backup of the running server's database. */
import { defineContract } from './define.ts';
import { noQuery } from './common.ts';

export const downloadBackup = defineContract({
  method: 'get',
  path: '/api/admin/backup',
  summary: 'A fresh, consistent backup of the database, downloaded (administrators)',
  description:
    "The embedded database as a .tar.gz of its data directory (Content-Type application/gzip), PostgreSQL as a pg_dump custom-format file (application/octet-stream; needs pg_dump and the server's DATABASE_URL, else 501). Content-Length is set; never cached.",
  tags: ['admin'],
  access: 'user.manage',
  query: noQuery,
  responses: { 200: { description: 'The backup file', contentType: 'application/octet-stream' } },
  errors: [400, 401, 403, 501],
});
