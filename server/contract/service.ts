/**
 * 前期手续 (承诺制 + 全代办), 包联 and the problem list: the service-item catalogue, a project's items and people,
 * problems raised, answered, escalated and closed, the figures, the signed-in user's to-do list, Excel import
 * and export, and the webhook reminders. Internal: none of it is public.
 */
import { z } from 'zod';
import { ITEM_STATE_KEYS, PERSON_ROLE_KEYS, PROBLEM_KIND_KEYS, PROBLEM_LEVEL_KEYS, PROBLEM_STATUS_KEYS } from '../../domain/serviceItems.ts';
import { defineContract } from './define.ts';
import { Ok, enumList, idList, idParam, isoDate, noQuery, queryInt, requiredText, text } from './common.ts';
import { uploadedFile } from './indicators.ts';

const tuple = <T extends string>(list: readonly T[]) => list as unknown as [T, ...T[]];
const itemState = z.enum(tuple(ITEM_STATE_KEYS));
const problemKind = z.enum(tuple(PROBLEM_KIND_KEYS));
const problemStatus = z.enum(tuple(PROBLEM_STATUS_KEYS));
const problemLevel = z.enum(tuple(PROBLEM_LEVEL_KEYS));
const personRole = z.enum(tuple(PERSON_ROLE_KEYS));
const light = z.enum(['green', 'yellow', 'red', 'none']);
const id = z.number().int().min(1).max(999_999_999);
const version = z.number().int().min(1).max(1e9);
const date = z.string().nullable();
const nullableText = (max: number) => text(max).nullable();

export const CatalogueItem = z
  .object({
    id: z.number().int(),
    name: z.string(),
    department: z.string(),
    limit_working_days: z.number().int(),
    may_commit: z.boolean(),
    required_before_start: z.boolean(),
    sort_order: z.number().int(),
    active: z.boolean(),
    used_by: z.number().int().meta({ description: 'Projects listing the item' }),
    version: z.number().int(),
  })
  .meta({ id: 'ServiceCatalogueItem' });

export const ProjectItem = z
  .object({
    id: z.number().int(),
    project_id: z.number().int(),
    item_id: z.number().int(),
    name: z.string(),
    department: z.string(),
    limit_working_days: z.number().int(),
    may_commit: z.boolean(),
    required_before_start: z.boolean(),
    state: itemState,
    accepted_on: date,
    started_on: date,
    done_on: date,
    due_on: date.meta({ description: 'The last working day of the legal limit, counted from acceptance' }),
    working_days_used: z.number().int().nullable(),
    light,
    agent_user_id: z.number().int().nullable(),
    agent_name: z.string().nullable(),
    committed: z.boolean(),
    document_no: z.string().nullable(),
    note: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'ProjectServiceItem' });

export const Person = z
  .object({
    id: z.number().int(),
    project_id: z.number().int(),
    role: personRole,
    user_id: z.number().int().nullable(),
    name: z.string(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
  })
  .meta({ id: 'ProjectPerson' });

export const Problem = z
  .object({
    id: z.number().int(),
    project_id: z.number().int(),
    project_name: z.string(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    city: z.string(),
    kind: problemKind,
    title: z.string(),
    detail: z.string().nullable(),
    department: z.string().nullable(),
    assignee_user_id: z.number().int().nullable(),
    assignee_name: z.string().nullable(),
    raised_by_name: z.string().nullable(),
    raised_on: z.string(),
    due_on: date,
    level: problemLevel,
    status: problemStatus,
    answer: z.string().nullable(),
    answered_on: date,
    closed_on: date,
    overdue: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'ProjectProblem' });

const ProblemEvent = z.object({
  id: z.number().int(),
  action: z.string(),
  from_level: z.string().nullable(),
  to_level: z.string().nullable(),
  note: z.string().nullable(),
  by_name: z.string(),
  happened_on: z.string(),
});
export const ProblemDetail = Problem.extend({ events: z.array(ProblemEvent) }).meta({ id: 'ProjectProblemDetail' });

export const ProjectService = z
  .object({
    project_id: z.number().int(),
    project_name: z.string(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    today: z.string(),
    ready: z.boolean().meta({ description: '具备开工条件: every required item done or 不适用, at least one required item' }),
    required: z.number().int(),
    required_done: z.number().int(),
    items: z.array(ProjectItem),
    people: z.array(Person),
    problems: z.array(Problem).meta({ description: 'Problems not closed' }),
    can_edit: z.boolean().meta({ description: "Whether the caller may change this project's items" }),
  })
  .meta({ id: 'ProjectService' });

const tags = ['service'];

// --- catalogue -----------------------------------------------------------------------------------

export const listCatalogue = defineContract({
  method: 'get',
  path: '/api/service/catalogue',
  summary: 'The service-item catalogue (事项目录), in its order',
  tags,
  access: 'service.read',
  query: noQuery,
  responses: { 200: { description: 'The catalogue', schema: z.object({ items: z.array(CatalogueItem) }) } },
  errors: [400, 401, 403],
});

const catalogueFields = {
  name: requiredText(80),
  department: requiredText(80),
  limit_working_days: z.number().int().min(1).max(365),
  may_commit: z.boolean(),
  required_before_start: z.boolean(),
  sort_order: z.number().int().min(0).max(100_000),
  active: z.boolean(),
};

export const createCatalogueItem = defineContract({
  method: 'post',
  path: '/api/service/catalogue',
  summary: 'Add a service item to the catalogue',
  tags,
  access: 'service.edit',
  body: z.strictObject(catalogueFields).partial({ may_commit: true, required_before_start: true, sort_order: true, active: true }),
  responses: { 201: { description: 'The new item', schema: CatalogueItem } },
  errors: [400, 401, 403, 409],
});

export const updateCatalogueItem = defineContract({
  method: 'patch',
  path: '/api/service/catalogue/{id}',
  summary: 'Change a catalogue item (a stale version answers 409)',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version, changes: z.strictObject(catalogueFields).partial() }),
  responses: { 200: { description: 'The item after the change', schema: CatalogueItem } },
  errors: [400, 401, 403, 404, 409],
});

export const deleteCatalogueItem = defineContract({
  method: 'delete',
  path: '/api/service/catalogue/{id}',
  summary: 'Remove a catalogue item no project lists (otherwise 409: set it inactive instead)',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'Removed', schema: Ok } },
  errors: [400, 401, 403, 404, 409],
});

const importAnswer = z.object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int() });

export const importCatalogue = defineContract({
  method: 'post',
  path: '/api/service/catalogue/import',
  summary: 'Import a service-item catalogue from Excel or CSV (all rows or none)',
  description:
    'Header 事项名称, 审批部门, 法定时限（工作日）, 可承诺制, 开工前必备, 排序 (the last three optional; 是/否). An item with an existing name is updated. 422 lists every bad row with its line (details.rows); nothing is written.',
  tags,
  access: 'service.edit',
  query: noQuery,
  body: uploadedFile,
  bodyContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  responses: { 200: { description: 'What was written', schema: importAnswer } },
  errors: [400, 401, 403, 413, 422],
});

// --- a project's items and people ------------------------------------------------------------------

export const projectService = defineContract({
  method: 'get',
  path: '/api/service/projects/{id}',
  summary: "A project's checklist (items with their lights), 具备开工条件, its people and open problems",
  tags,
  access: 'service.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The checklist', schema: ProjectService } },
  errors: [400, 401, 403, 404],
});

export const addProjectItems = defineContract({
  method: 'post',
  path: '/api/service/projects/{id}/items',
  summary: 'Add catalogue items to a project (or the whole active catalogue with all: true); items already listed are kept',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ item_ids: z.array(id).min(1).max(200).optional(), all: z.literal(true).optional() }),
  responses: { 200: { description: 'The checklist after the change', schema: ProjectService } },
  errors: [400, 401, 403, 404],
});

export const updateProjectItem = defineContract({
  method: 'patch',
  path: '/api/service/items/{id}',
  summary: "Change a project's item: state with its dates, agent, 承诺制, document number, note",
  description:
    'Planners and administrators change any item (service.edit); an agent (service.editAssigned) only the items of projects they are assigned to. Dates come in order (受理 ≤ 办理 ≤ 办结), none after today; each state needs its dates. A stale version answers 409.',
  tags,
  access: 'service.read',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version,
    changes: z
      .strictObject({
        state: itemState,
        accepted_on: isoDate.nullable(),
        started_on: isoDate.nullable(),
        done_on: isoDate.nullable(),
        agent_user_id: id.nullable(),
        agent_name: nullableText(60),
        committed: z.boolean(),
        document_no: nullableText(80),
        note: nullableText(500),
      })
      .partial(),
  }),
  responses: { 200: { description: 'The item after the change', schema: ProjectItem } },
  errors: [400, 401, 403, 404, 409],
});

export const removeProjectItem = defineContract({
  method: 'delete',
  path: '/api/service/items/{id}',
  summary: "Remove an item from a project's list",
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'Removed', schema: Ok } },
  errors: [400, 401, 403, 404],
});

export const importProjectItems = defineContract({
  method: 'post',
  path: '/api/service/projects/{id}/items/import',
  summary: "Import a project's items from Excel or CSV (all rows or none)",
  description:
    'Header 事项名称, 状态, 受理日期, 办理日期, 办结日期, 承诺制, 文号, 备注 (state as 未启动/已受理/办理中/已办结/不适用; dates YYYY-MM-DD). Items are matched to the catalogue by name; listed items are updated, others added. 422 lists every bad row (details.rows); nothing is written.',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  body: uploadedFile,
  bodyContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  responses: { 200: { description: 'What was written', schema: importAnswer } },
  errors: [400, 401, 403, 404, 413, 422],
});

export const addPerson = defineContract({
  method: 'post',
  path: '/api/service/projects/{id}/people',
  summary: 'Attach a person to a project: 包联领导, 项目长, 代办员 or 专班 member (an account, or a name with a phone)',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    role: personRole,
    user_id: id.nullable().optional(),
    name: nullableText(60).optional(),
    title: nullableText(80).optional(),
    phone: z
      .string()
      .regex(/^[0-9+\- ()]{3,30}$/, { message: 'must be a phone number' })
      .nullable()
      .optional(),
  }),
  responses: { 201: { description: 'The checklist with the people', schema: ProjectService } },
  errors: [400, 401, 403, 404],
});

export const removePerson = defineContract({
  method: 'delete',
  path: '/api/service/people/{id}',
  summary: 'Detach a person from a project',
  tags,
  access: 'service.edit',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'Removed', schema: Ok } },
  errors: [400, 401, 403, 404],
});

export const listAccounts = defineContract({
  method: 'get',
  path: '/api/service/accounts',
  summary: 'Active accounts that can be assigned as agents, leaders or problem owners (names and roles only)',
  tags,
  access: 'service.read',
  query: noQuery,
  responses: {
    200: {
      description: 'The accounts',
      schema: z.object({ accounts: z.array(z.object({ id: z.number().int(), display_name: z.string(), role: z.string() })) }),
    },
  },
  errors: [400, 401, 403],
});

// --- problems ------------------------------------------------------------------------------------

const problemQuery = {
  zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }),
  city: text(40).optional(),
  kind: enumList(tuple(PROBLEM_KIND_KEYS)).optional(),
  status: enumList(tuple(PROBLEM_STATUS_KEYS)).optional(),
  level: enumList(tuple(PROBLEM_LEVEL_KEYS)).optional(),
  overdue: z.enum(['1', 'true']).optional().meta({ description: 'Only problems past their due date and not closed' }),
  person: queryInt(1, 999_999_999).optional().meta({ description: 'Assigned to this account, or on projects this account answers for' }),
  project: queryInt(1, 999_999_999).optional(),
};

const Counts = z.object({
  zones: z.array(
    z.object({
      zone_id: z.number().int(),
      zone_name: z.string(),
      total: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      by_kind: z.record(z.string(), z.number().int()),
    }),
  ),
  by_kind: z.record(z.string(), z.number().int()),
});

export const listProblems = defineContract({
  method: 'get',
  path: '/api/service/problems',
  summary: 'The problem list (问题清单), filtered, overdue first; with counts per zone and kind over the same filter',
  tags,
  access: 'service.read',
  query: z.strictObject({ ...problemQuery, limit: queryInt(1, 500).optional(), offset: queryInt(0, 1_000_000).optional() }),
  responses: {
    200: {
      description: 'A page of problems, the total and the counts',
      schema: z.object({ total: z.number().int(), problems: z.array(Problem), counts: Counts }),
    },
  },
  errors: [400, 401, 403],
});

export const getProblem = defineContract({
  method: 'get',
  path: '/api/service/problems/{id}',
  summary: 'One problem with its history',
  tags,
  access: 'service.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The problem', schema: ProblemDetail } },
  errors: [400, 401, 403, 404],
});

export const raiseProblem = defineContract({
  method: 'post',
  path: '/api/service/problems',
  summary: 'Raise a problem on a project (kind, assigned department and person, due date)',
  tags,
  access: 'problem.raise',
  body: z.strictObject({
    project_id: id,
    kind: problemKind,
    title: requiredText(200),
    detail: nullableText(2000).optional(),
    department: nullableText(80).optional(),
    assignee_user_id: id.nullable().optional(),
    assignee_name: nullableText(60).optional(),
    due_on: isoDate.nullable().optional(),
    level: problemLevel.optional(),
    raised_on: isoDate.optional(),
  }),
  responses: { 201: { description: 'The new problem', schema: ProblemDetail } },
  errors: [400, 401, 403, 404],
});

const problemStep = (summary: string, body: z.ZodObject, path: string) =>
  defineContract({
    method: 'post',
    path,
    summary,
    description: 'problem.manage for any problem; the assignee may answer their own. A stale version answers 409.',
    tags,
    access: 'problem.raise',
    params: z.strictObject({ id: idParam }),
    body,
    responses: { 200: { description: 'The problem after the step', schema: ProblemDetail } },
    errors: [400, 401, 403, 404, 409],
  });

export const answerProblem = problemStep(
  'Answer a problem (答复)',
  z.strictObject({ version, answer: requiredText(2000), answered_on: isoDate.optional() }),
  '/api/service/problems/{id}/answer',
);
export const closeProblem = problemStep(
  'Close a problem (办结)',
  z.strictObject({ version, note: nullableText(500).optional(), closed_on: isoDate.optional() }),
  '/api/service/problems/{id}/close',
);
export const escalateProblem = problemStep(
  'Escalate a problem one level up (园区 → 县 → 市 → 省)',
  z.strictObject({ version, note: requiredText(500), due_on: isoDate.nullable().optional() }),
  '/api/service/problems/{id}/escalate',
);

// --- figures, to-do, reminders -------------------------------------------------------------------

const figuresQuery = z.strictObject({
  zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }),
  city: text(40).optional(),
  from: isoDate,
  to: isoDate,
});

export const ServiceFigures = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    projects: z.number().int(),
    committed: z.object({ projects: z.number().int(), items: z.number().int() }),
    agent: z.object({ projects: z.number().int(), items: z.number().int(), itemsDone: z.number().int(), doneShare: z.number().nullable() }),
    items: z.object({ applicable: z.number().int(), done: z.number().int(), doneShare: z.number().nullable(), doneInPeriod: z.number().int() }),
    ready: z.object({ projects: z.number().int(), share: z.number().nullable(), ids: z.array(z.number().int()) }),
    averageWorkingDays: z.number().nullable(),
    averageLimitWorkingDays: z.number().nullable(),
    overdue: z.object({
      items: z.number().int(),
      itemIds: z.array(z.number().int()),
      problems: z.number().int(),
      problemIds: z.array(z.number().int()),
    }),
    problems: z.object({ raisedInPeriod: z.number().int(), open: z.number().int(), closedInPeriod: z.number().int() }),
  })
  .meta({ id: 'ServiceFigures' });

export const figures = defineContract({
  method: 'get',
  path: '/api/service/figures',
  summary: 'Figures of a scope and period: 承诺制, agents, items done and their share, 具备开工条件, working days per item, overdue',
  description: 'Definitions in domain/serviceItems.ts (serviceFigures); judged as of the earlier of `to` and today.',
  tags,
  access: 'service.read',
  query: figuresQuery,
  responses: { 200: { description: 'The figures', schema: ServiceFigures } },
  errors: [400, 401, 403],
});

export const figuresExport = defineContract({
  method: 'get',
  path: '/api/service/figures.xlsx',
  summary: 'The figures as an Excel workbook (a sheet of figures with units, a sheet of overdue items, one of problems)',
  tags,
  access: 'service.read',
  query: figuresQuery,
  responses: { 200: { description: 'The workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  errors: [400, 401, 403],
});

const TodoItem = ProjectItem.extend({ project_name: z.string(), zone_name: z.string(), overdue: z.boolean(), due_soon: z.boolean() });

export const todo = defineContract({
  method: 'get',
  path: '/api/todo',
  summary: "The signed-in user's to-do list: overdue and due-soon items and problems, and 我的项目",
  description:
    'Items: those the user handles as agent, and the open items of projects the user answers for (as leader, head, agent or task-force member). Problems: assigned to the user, or on those projects. Overdue first.',
  tags,
  access: 'service.read',
  query: noQuery,
  responses: {
    200: {
      description: 'The to-do list',
      schema: z.object({
        today: z.string(),
        items: z.array(TodoItem),
        problems: z.array(Problem),
        projects: z.array(
          z.object({
            project_id: z.number().int(),
            project_name: z.string(),
            zone_name: z.string(),
            roles: z.array(z.string()),
            ready: z.boolean(),
            items: z.number().int(),
            items_done: z.number().int(),
            overdue_items: z.number().int(),
            open_problems: z.number().int(),
          }),
        ),
      }),
    },
  },
  errors: [400, 401, 403],
});

const ReminderSettings = z.object({
  url: z.string().nullable(),
  from_env: z.boolean().meta({ description: 'The URL comes from REMINDER_WEBHOOK_URL (the setting is empty)' }),
  version: z.number().int(),
});

export const getReminderSettings = defineContract({
  method: 'get',
  path: '/api/service/reminders/settings',
  summary: 'The webhook that reminders go to (企业微信 / 钉钉 group robot); none: nothing is sent',
  tags,
  access: 'user.manage',
  query: noQuery,
  responses: { 200: { description: 'The setting', schema: ReminderSettings } },
  errors: [400, 401, 403],
});

export const saveReminderSettings = defineContract({
  method: 'put',
  path: '/api/service/reminders/settings',
  summary: 'Set the reminder webhook (http or https URL; null to fall back to REMINDER_WEBHOOK_URL or to send nothing)',
  tags,
  access: 'user.manage',
  body: z.strictObject({
    version: z.number().int().min(0).max(1e9),
    url: z
      .string()
      .max(500)
      .regex(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
      .nullable(),
  }),
  responses: { 200: { description: 'The setting after the change', schema: ReminderSettings } },
  errors: [400, 401, 403, 409],
});

export const sendReminders = defineContract({
  method: 'post',
  path: '/api/service/reminders/send',
  summary: 'Send the overdue reminders now: one text message per person with overdue items or problems, POSTed to the webhook',
  description: 'The message is {"msgtype":"text","text":{"content":"…"}}, which 企业微信 and 钉钉 group robots accept. Without a webhook nothing is sent.',
  tags,
  access: 'user.manage',
  body: z.strictObject({}),
  responses: {
    200: {
      description: 'What was sent',
      schema: z.object({
        sent: z.number().int().meta({ description: 'Messages the webhook accepted' }),
        failed: z.number().int(),
        people: z.number().int(),
        configured: z.boolean(),
      }),
    },
  },
  errors: [400, 401, 403],
});
