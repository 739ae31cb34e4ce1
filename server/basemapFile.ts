/**
 * The local PMTiles basemap (BASEMAP_PMTILES): one file, read by the browser in HTTP range requests
 * (MapLibre's pmtiles protocol asks for the header, then the directories and tiles it needs).
 * express's sendFile answers Range with 206 and Content-Range, and 416 for a range past the end.
 */
import type { RequestHandler } from 'express';

export function pmtilesHandler(file: string): RequestHandler {
  return (_req, res, next) => {
    res.sendFile(
      file,
      {
        acceptRanges: true,
        // The file may be replaced by a new extract: revalidate (ETag/Last-Modified make that cheap).
        cacheControl: false,
        headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/vnd.pmtiles' },
      },
      (err) => {
        if (err && !res.headersSent) next(err);
      },
    );
  };
}
