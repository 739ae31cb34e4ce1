/** Working days, item lights, readiness and the procedure figures, against values worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../domain/workingDays.ts';
import {
  checkItemDates,
  isItemDueSoon,
  isProblemOverdue,
  isReadyToStart,
  itemDueOn,
  itemLight,
  nextLevel,
  serviceFigures,
  type ItemFacts,
  type ProblemFacts,
} from '../../domain/serviceItems.ts';

describe('working days', () => {
  it('knows weekends, holidays and 调休 Saturdays', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true); // a Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // a Saturday
    expect(isWorkingDay('2026-10-05')).toBe(false); // 国庆, a Monday
    expect(isWorkingDay('2026-10-10')).toBe(true); // 调休上班, a Saturday
    expect(isWorkingDay('2025-01-26')).toBe(true); // 调休上班, a Sunday
    expect(isWorkingDay('2025-05-31')).toBe(false); // 端午, a Saturday anyway
  });

  it('counts the working days after the start up to the end', () => {
    // Fri 2026-11-20 → Mon 11-23: only the Monday.
    expect(workingDaysBetween('2026-11-20', '2026-11-23')).toBe(1);
    expect(workingDaysBetween('2026-11-23', '2026-11-23')).toBe(0);
    expect(workingDaysBetween('2026-11-23', '2026-11-20')).toBe(0);
    // 国庆 2026: 10-01…10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon → 4.
    expect(workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4);
    // 春节 2025: 01-26 Sun (调休), 01-27 Mon, then 01-28…02-04 off, 02-05, 06, 07, 02-08 Sat (调休), 02-10 Mon → 7.
    expect(workingDaysBetween('2025-01-24', '2025-02-10')).toBe(7);
    // 2027 is not published: 2027-01-01 (Fri) counts as a working day, then Mon 01-04 → 2.
    expect(workingDaysBetween('2026-12-31', '2027-01-04')).toBe(2);
  });

  it('finds the due date of a limit, over a holiday and a 调休 Saturday', () => {
    // From Wed 2026-09-30, 3 working days: 10-08, 10-09, 10-10 (Saturday, 调休).
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    // From Thu 2026-02-12, 5 days: 02-13 Fri, 02-14 Sat (调休), [02-15…02-23 春节], 02-24, 02-25, 02-26.
    expect(addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(addWorkingDays('2026-02-12', 0)).toBe('2026-02-12');
  });
});

const item = (id: number, extra: Partial<ItemFacts> = {}): ItemFacts => ({
  id,
  project_id: 1,
  state: 'in_progress',
  limit_working_days: 10,
  required_before_start: true,
  committed: false,
  agent_user_id: null,
  accepted_on: '2026-11-02',
  started_on: null,
  done_on: null,
  ...extra,
});

describe('item lights', () => {
  // Accepted Mon 2026-11-02 with 10 working days: due on the 10th working day after, Mon 2026-11-16.
  it('is green below 80 %, yellow from 80 % (a tie) to the limit (a tie), red over it', () => {
    expect(itemDueOn(item(1))).toBe('2026-11-16');
    expect(itemLight(item(1), '2026-11-11')).toBe('green'); // 11-03…11-06 (4) + 11-09…11-11 (3) = 7
    expect(itemLight(item(1), '2026-11-12')).toBe('yellow'); // 8 = 80 % exactly
    expect(itemLight(item(1), '2026-11-16')).toBe('yellow'); // 10 = the limit: not over
    expect(itemLight(item(1), '2026-11-17')).toBe('red'); // 11
  });

  it('judges a done item on its finish date, and gives none to items not started or 不适用', () => {
    expect(itemLight(item(1, { state: 'done', done_on: '2026-11-11' }), '2026-12-30')).toBe('green');
    expect(itemLight(item(1, { state: 'done', done_on: '2026-11-17' }), '2026-12-30')).toBe('red');
    expect(itemLight(item(1, { state: 'not_applicable' }), '2026-12-30')).toBe('none');
    expect(itemLight(item(1, { state: 'not_started', accepted_on: null }), '2026-12-30')).toBe('none');
  });

  it('counts a holiday inside the limit as no day used', () => {
    // Accepted Thu 2026-02-12, limit 5, due 02-26 (see above); on 02-24 only 02-13, 02-14 and 02-24 are used: 3 of 5 = 60 %.
    const feb = item(1, { accepted_on: '2026-02-12', limit_working_days: 5 });
    expect(itemLight(feb, '2026-02-24')).toBe('green');
    expect(itemLight(feb, '2026-02-25')).toBe('yellow'); // 4 of 5
    expect(itemLight(feb, '2026-02-27')).toBe('red'); // 6
  });

  it('is due soon within 5 working days of its due date', () => {
    // Accepted Mon 11-16, 10 days: due Mon 11-30. From Mon 11-23: 11-24…11-27 and 11-30 = 5 → soon; from Fri 11-20: 6 → not yet.
    const soon = item(1, { accepted_on: '2026-11-16' });
    expect(isItemDueSoon(soon, '2026-11-23')).toBe(true);
    expect(isItemDueSoon(soon, '2026-11-20')).toBe(false);
    expect(isItemDueSoon(soon, '2026-12-01')).toBe(false); // overdue, not "soon"
  });
});

describe('dates of an item', () => {
  it('refuses impossible orders and missing dates', () => {
    expect(checkItemDates({ state: 'done', accepted_on: '2026-11-10', started_on: null, done_on: '2026-11-05' }, '2026-11-28').map((p) => p.field)).toEqual([
      'done_on',
    ]);
    expect(checkItemDates({ state: 'done', accepted_on: null, started_on: null, done_on: '2026-11-05' }, '2026-11-28').map((p) => p.field)).toEqual([
      'accepted_on',
    ]);
    expect(checkItemDates({ state: 'not_started', accepted_on: '2026-11-01', started_on: null, done_on: null }, '2026-11-28')).toHaveLength(1);
    expect(checkItemDates({ state: 'in_progress', accepted_on: '2026-11-01', started_on: '2026-11-30', done_on: null }, '2026-11-28')).toHaveLength(1);
    expect(checkItemDates({ state: 'in_progress', accepted_on: '2026-11-01', started_on: '2026-11-03', done_on: null }, '2026-11-28')).toEqual([]);
  });
});

describe('具备开工条件', () => {
  const items = [
    item(1, { state: 'done', done_on: '2026-11-10' }),
    item(2, { state: 'not_applicable', accepted_on: null }),
    item(3, { state: 'not_started', accepted_on: null, required_before_start: false }),
  ];
  it('needs every required item done or 不适用, by the date asked', () => {
    expect(isReadyToStart(items, '2026-11-10')).toBe(true);
    expect(isReadyToStart(items, '2026-11-09')).toBe(false);
    expect(isReadyToStart([...items, item(4)], '2026-11-28')).toBe(false);
  });
  it('needs at least one required item', () => {
    expect(isReadyToStart([items[2]], '2026-11-28')).toBe(false);
    expect(isReadyToStart([], '2026-11-28')).toBe(false);
  });
});

describe('problems', () => {
  it('are overdue when not closed after their due date, and climb county → city → province', () => {
    expect(isProblemOverdue({ status: 'open', due_on: '2026-11-27' }, '2026-11-28')).toBe(true);
    expect(isProblemOverdue({ status: 'answered', due_on: '2026-11-27' }, '2026-11-28')).toBe(true);
    expect(isProblemOverdue({ status: 'open', due_on: '2026-11-28' }, '2026-11-28')).toBe(false);
    expect(isProblemOverdue({ status: 'closed', due_on: '2026-11-01' }, '2026-11-28')).toBe(false);
    expect(nextLevel('county')).toBe('city');
    expect(nextLevel('city')).toBe('province');
    expect(nextLevel('province')).toBeNull();
  });
});

describe('figures', () => {
  // Project 1: i1 required, 承诺制, agent 7, accepted 11-02, done 11-11 (7 working days of 10); i2 required, 不适用.
  // Project 2: i3 required, 承诺制, accepted Mon 10-12 with 5 days (due 10-19), still in progress; i4 not required, a named agent (no account), not started.
  const items: ItemFacts[] = [
    item(1, { state: 'done', done_on: '2026-11-11', committed: true, agent_user_id: 7 }),
    item(2, { state: 'not_applicable', accepted_on: null }),
    item(3, { project_id: 2, accepted_on: '2026-10-12', limit_working_days: 5, committed: true }),
    item(4, { project_id: 2, state: 'not_started', accepted_on: null, required_before_start: false, agent_name: '代办员（二）', limit_working_days: 20 }),
  ];
  const problem = (id: number, extra: Partial<ProblemFacts>): ProblemFacts => ({
    id,
    project_id: 1,
    kind: 'land',
    status: 'open',
    raised_on: '2026-11-02',
    due_on: null,
    closed_on: null,
    ...extra,
  });
  const problems = [
    problem(1, { raised_on: '2026-10-20', due_on: '2026-11-15' }),
    problem(2, { raised_on: '2026-11-05', due_on: '2026-11-25' }),
    problem(3, { status: 'closed', due_on: '2026-11-10', closed_on: '2026-11-08' }),
  ];

  it('counts a scope over November 2026 judged on 11-20', () => {
    const f = serviceFigures(items, problems, '2026-11-01', '2026-11-30', '2026-11-20');
    expect(f.asOf).toBe('2026-11-20');
    expect(f.projects).toBe(2);
    expect(f.committed).toEqual({ projects: 2, items: 2 });
    // Agent items i1 and i4 (not started still counts: it is applicable), one done.
    expect(f.agent).toEqual({ projects: 2, items: 2, itemsDone: 1, doneShare: 0.5 });
    // Applicable: i1, i3, i4; done: i1.
    expect(f.items).toEqual({ applicable: 3, done: 1, doneShare: 1 / 3, doneInPeriod: 1 });
    expect(f.ready).toEqual({ projects: 1, share: 0.5, ids: [1] });
    expect(f.averageWorkingDays).toBe(7);
    expect(f.averageLimitWorkingDays).toBe(10);
    expect(f.overdue).toEqual({ items: 1, itemIds: [3], problems: 1, problemIds: [1] });
    expect(f.problems).toEqual({ raisedInPeriod: 2, open: 2, closedInPeriod: 1 });
  });

  it('judges a past period on its last day', () => {
    // October: i1 not yet accepted-and-done; i3 accepted 10-12, due 10-19, open on 10-31 → overdue; nothing done, nobody ready.
    const f = serviceFigures(items, problems, '2026-10-01', '2026-10-31', '2026-11-20');
    expect(f.asOf).toBe('2026-10-31');
    expect(f.items.done).toBe(0);
    expect(f.ready.projects).toBe(0);
    expect(f.averageWorkingDays).toBeNull();
    expect(f.overdue.itemIds).toEqual([3]);
    // Problem 1 raised 10-20, due 11-15: not yet overdue on 10-31.
    expect(f.overdue.problems).toBe(0);
    expect(f.problems).toEqual({ raisedInPeriod: 1, open: 1, closedInPeriod: 0 });
  });
});
