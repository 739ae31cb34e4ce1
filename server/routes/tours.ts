/** /api/tours: 观摩 tours for internal roles (never public); scoring for the tour's judges. */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/tours.ts';
import {
  createTour,
  deleteTour,
  itineraryData,
  judgeCandidates,
  listTours,
  optimiseStops,
  putScores,
  resultsData,
  setCriteria,
  setJudges,
  setStops,
  tourDetail,
  updateTour,
} from '../services/tours.ts';
import { itineraryPdf, resultsPdf } from '../services/tourPdf.ts';

export function toursRouter(db: Db): Router {
  const router = Router();
  router.get('/', ...route(contract.listTours, () => listTours(db)));
  router.post('/', ...route(contract.createTour, ({ body }, req) => createTour(db, req.user!, body)));
  router.get('/accounts', ...route(contract.judgeCandidates, () => judgeCandidates(db)));
  router.get('/:id', ...route(contract.getTour, ({ params }, req) => tourDetail(db, req.user!, params.id)));
  router.patch('/:id', ...route(contract.updateTour, ({ params, body }, req) => updateTour(db, req.user!, params.id, body.version, body.changes)));
  router.delete('/:id', ...route(contract.deleteTour, ({ params }, req) => deleteTour(db, req.user!, params.id)));
  router.put('/:id/stops', ...route(contract.setStops, ({ params, body }, req) => setStops(db, req.user!, params.id, body)));
  router.post('/:id/stops/optimise', ...route(contract.optimiseStops, ({ params, body }, req) => optimiseStops(db, req.user!, params.id, body.version)));
  router.put('/:id/criteria', ...route(contract.setCriteria, ({ params, body }, req) => setCriteria(db, req.user!, params.id, body)));
  router.put('/:id/judges', ...route(contract.setJudges, ({ params, body }, req) => setJudges(db, req.user!, params.id, body)));
  router.get('/:id/itinerary', ...route(contract.itinerary, ({ params }) => itineraryData(db, params.id)));
  router.get(
    '/:id/itinerary.pdf',
    ...route(contract.itineraryPdf, async ({ params }, _req, res) => {
      const pdf = await itineraryPdf(await itineraryData(db, params.id));
      res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="tour-${params.id}-itinerary.pdf"` });
      res.send(pdf);
    }),
  );
  router.put('/:id/scores', ...route(contract.putScores, ({ params, body }, req) => putScores(db, req.user!, params.id, body)));
  router.get('/:id/results', ...route(contract.results, ({ params }) => resultsData(db, params.id)));
  router.get(
    '/:id/results.pdf',
    ...route(contract.resultsPdf, async ({ params }, _req, res) => {
      const pdf = await resultsPdf(await resultsData(db, params.id));
      res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="tour-${params.id}-results.pdf"` });
      res.send(pdf);
    }),
  );
  return router;
}
