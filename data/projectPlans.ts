/**
 * The demo projects' planned dates (what the investment contract says: land, start, production, capacity)
 * and, for producing ones, the actual output and tax beside what was agreed. A random stream of its own,
 * so that adding these leaves every other generated figure as it was.
 */
import { createRandom, type ProjectRow } from './generator.ts';

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * DAY_MS).toISOString().slice(0, 10);
const round = (v: number, digits = 0) => Math.round(v * 10 ** digits) / 10 ** digits;

import type { ProjectPlan } from '../domain/projectSupervision.ts';

export type { ProjectPlan };

export function planProject(p: Omit<ProjectRow, keyof ProjectPlan>, asOf: string, rnd: ReturnType<typeof createRandom>): ProjectPlan {
  const none: ProjectPlan = {
    plan_landed_date: null,
    plan_started_date: null,
    plan_producing_date: null,
    plan_at_capacity_date: null,
    actual_annual_output_wan: null,
    agreed_annual_tax_wan: null,
    actual_annual_tax_wan: null,
  };
  if (!p.signed_date) return none;
  // A plan per step: near the actual date for steps taken (some late, some early), and a usual duration
  // after the last step taken for the others; each plan after the one before.
  const usualDays: Record<string, [number, number]> = { landed: [90, 240], started: [45, 150], producing: [240, 480], at_capacity: [180, 400] };
  const plans: Record<string, string> = {};
  let previousPlan = p.signed_date;
  let firstOpen = false;
  for (const step of ['landed', 'started', 'producing', 'at_capacity'] as const) {
    const actual = (p as unknown as Record<string, string | null>)[`${step}_date`];
    // The first step not taken falls due around the as-of date (some projects behind, most on time), the
    // later ones a usual duration after it.
    let plan = actual ? addDays(actual, rnd.int(-45, 120)) : firstOpen ? addDays(previousPlan, rnd.int(...usualDays[step])) : addDays(asOf, rnd.int(-300, 240));
    if (!actual) firstOpen = true;
    if (plan <= previousPlan) plan = addDays(previousPlan, rnd.int(15, 60));
    plans[step] = plan;
    previousPlan = plan;
  }
  const [landed, started, producing, atCapacity] = [plans.landed, plans.started, plans.producing, plans.at_capacity];
  const producingNow = p.stage === 'producing' || p.stage === 'at_capacity';
  const expected = p.expected_annual_output_wan;
  const agreedTax = expected === null ? null : round(expected * rnd.between(0.03, 0.07));
  const factor = p.stage === 'at_capacity' ? rnd.between(0.92, 1.3) : rnd.between(0.45, 1.15);
  return {
    plan_landed_date: landed,
    plan_started_date: started,
    plan_producing_date: producing,
    plan_at_capacity_date: atCapacity,
    actual_annual_output_wan: producingNow && expected !== null ? round(expected * factor) : null,
    agreed_annual_tax_wan: producingNow ? agreedTax : null,
    actual_annual_tax_wan: producingNow && agreedTax !== null ? round(agreedTax * factor * rnd.between(0.9, 1.15)) : null,
  };
}

export function planProjects<T extends Omit<ProjectRow, keyof ProjectPlan>>(projects: T[], asOf: string, seed: number): (T & ProjectPlan)[] {
  const rnd = createRandom(seed ^ 0x5a17);
  return projects.map((p) => ({ ...p, ...planProject(p, asOf, rnd) }));
}
