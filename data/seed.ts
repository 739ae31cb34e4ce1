/**
 * Loads a generated dataset into an empty, migrated database in one transaction: rows go in as JSON in
 * batches of 1,000 (json_to_recordset), geometry through ST_GeomFromGeoJSON, ids kept as generated and the
 * sequences moved past them.
 */
import type { Db, Queryable } from '../server/db/types.ts';
import type { Dataset } from './generator.ts';

type Column = [name: string, sqlType: string];

/** The columns loaded per table; a column typed 'geometry' is given as GeoJSON. Static: never request input. */
const TABLES: { table: string; key: keyof Dataset; columns: Column[]; serial?: boolean }[] = [
  {
    table: 'zones',
    key: 'zones',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['code', 'text'],
      ['name', 'text'],
      ['name_en', 'text'],
      ['level', 'text'],
      ['city', 'text'],
      ['county', 'text'],
      ['leading_industry', 'text'],
      ['approved_area_ha', 'double precision'],
      ['contact_phone', 'text'],
      ['geom', 'geometry'],
    ],
  },
  {
    table: 'parcels',
    key: 'parcels',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['zone_id', 'integer'],
      ['code', 'text'],
      ['land_use_code', 'text'],
      ['status', 'text'],
      ['is_standard_land', 'boolean'],
      ['reserve_date', 'date'],
      ['available_date', 'date'],
      ['supplied_date', 'date'],
      ['started_date', 'date'],
      ['completed_date', 'date'],
      ['producing_date', 'date'],
      ['at_capacity_date', 'date'],
      ['agreed_start_date', 'date'],
      ['agreed_completion_date', 'date'],
      ['planned_building_area_m2', 'double precision'],
      ['developed_area_m2', 'double precision'],
      ['agreed_investment_wan', 'double precision'],
      ['invested_wan', 'double precision'],
      ['work_stopped_since', 'date'],
      ['registered_area_m2', 'double precision'],
      ['min_investment_intensity_wan_per_mu', 'double precision'],
      ['min_floor_area_ratio', 'double precision'],
      ['max_floor_area_ratio', 'double precision'],
      ['min_tax_per_mu_wan', 'double precision'],
      ['max_energy_tce_per_wan', 'double precision'],
      ['environment_standard', 'text'],
      ['min_building_coverage_pct', 'double precision'],
      ['max_admin_facility_pct', 'double precision'],
      ['max_green_pct', 'double precision'],
      ['infrastructure', 'jsonb'],
      ['land_price_wan', 'double precision'],
      ['land_price_internal', 'boolean'],
      ['internal_note', 'text'],
      ['geom', 'geometry'],
    ],
  },
  {
    table: 'enterprises',
    key: 'enterprises',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['credit_code', 'text'],
      ['name', 'text'],
      ['industry', 'text'],
      ['above_scale', 'boolean'],
      ['founded_date', 'date'],
      ['failed_checks', 'text[]'],
    ],
  },
  {
    table: 'enterprise_figures',
    key: 'enterpriseFigures',
    columns: [
      ['enterprise_id', 'integer'],
      ['year', 'integer'],
      ['output_wan', 'double precision'],
      ['value_added_wan', 'double precision'],
      ['tax_wan', 'double precision'],
      ['energy_tce', 'double precision'],
      ['emissions_t', 'double precision'],
      ['rd_wan', 'double precision'],
      ['revenue_wan', 'double precision'],
      ['employees', 'integer'],
    ],
  },
  {
    table: 'parcel_uses',
    key: 'parcelUses',
    columns: [
      ['parcel_id', 'integer'],
      ['enterprise_id', 'integer'],
      ['role', 'text'],
      ['area_m2', 'double precision'],
    ],
  },
  {
    table: 'projects',
    key: 'projects',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['zone_id', 'integer'],
      ['parcel_id', 'integer'],
      ['enterprise_id', 'integer'],
      ['name', 'text'],
      ['industry_chain', 'text'],
      ['is_industrial', 'boolean'],
      ['stage', 'text'],
      ['total_investment_wan', 'double precision'],
      ['completed_investment_wan', 'double precision'],
      ['expected_annual_output_wan', 'double precision'],
      ['land_area_mu', 'double precision'],
      ['planned_date', 'date'],
      ['signed_date', 'date'],
      ['landed_date', 'date'],
      ['started_date', 'date'],
      ['producing_date', 'date'],
      ['at_capacity_date', 'date'],
      ['description', 'text'],
      ['geom', 'geometry'],
      ['plan_landed_date', 'date'],
      ['plan_started_date', 'date'],
      ['plan_producing_date', 'date'],
      ['plan_at_capacity_date', 'date'],
      ['actual_annual_output_wan', 'double precision'],
      ['agreed_annual_tax_wan', 'double precision'],
      ['actual_annual_tax_wan', 'double precision'],
    ],
  },
  {
    table: 'project_rounds',
    key: 'rounds',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['name', 'text'],
      ['held_on', 'date'],
    ],
  },
  {
    table: 'project_round_entries',
    key: 'roundEntries',
    columns: [
      ['round_id', 'integer'],
      ['project_id', 'integer'],
      ['batch', 'text'],
    ],
  },
  {
    table: 'zone_monthly_indicators',
    key: 'monthlyIndicators',
    columns: [
      ['zone_id', 'integer'],
      ['month', 'date'],
      ['industrial_value_added_wan', 'double precision'],
      ['industrial_investment_wan', 'double precision'],
    ],
  },
  {
    table: 'zone_yearly_targets',
    key: 'yearlyTargets',
    columns: [
      ['zone_id', 'integer'],
      ['year', 'integer'],
      ['value_added_growth_target_pct', 'double precision'],
      ['investment_growth_target_pct', 'double precision'],
    ],
  },
  {
    table: 'factory_buildings',
    key: 'factoryBuildings',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['zone_id', 'integer'],
      ['parcel_id', 'integer'],
      ['name', 'text'],
      ['floors', 'integer'],
      ['floor_area_m2', 'double precision'],
      ['leased_area_m2', 'double precision'],
      ['geom', 'geometry'],
    ],
  },
  // 招商: chains and their links, the firms on them, promotion events, leads.
  {
    table: 'industry_chains',
    key: 'chains',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['key', 'text'],
      ['name', 'text'],
      ['name_en', 'text'],
      ['leader', 'text'],
      ['leader_post', 'text'],
    ],
  },
  {
    table: 'chain_links',
    key: 'chainLinks',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['chain_id', 'integer'],
      ['position', 'text'],
      ['name', 'text'],
      ['sort_order', 'integer'],
    ],
  },
  {
    table: 'chain_link_enterprises',
    key: 'chainLinkEnterprises',
    columns: [
      ['link_id', 'integer'],
      ['enterprise_id', 'integer'],
      ['chain_owner', 'boolean'],
    ],
  },
  {
    table: 'promotion_events',
    key: 'events',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['name', 'text'],
      ['kind', 'text'],
      ['held_on', 'date'],
      ['place', 'text'],
      ['organiser', 'text'],
      ['zone_id', 'integer'],
      ['city', 'text'],
      ['agreements_signed', 'integer'],
    ],
  },
  {
    table: 'leads',
    key: 'leads',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['zone_id', 'integer'],
      ['investor_name', 'text'],
      ['investor_origin', 'text'],
      ['project_name', 'text'],
      ['industry', 'text'],
      ['chain_link_id', 'integer'],
      ['planned_investment_wan', 'double precision'],
      ['land_need_min_mu', 'double precision'],
      ['land_need_max_mu', 'double precision'],
      ['source', 'text'],
      ['event_id', 'integer'],
      ['leader', 'text'],
      ['contact_name', 'text'],
      ['contact_phone', 'text'],
      ['stage', 'text'],
      ['lead_date', 'date'],
      ['contact_date', 'date'],
      ['visit_date', 'date'],
      ['negotiation_date', 'date'],
      ['intent_date', 'date'],
      ['signed_date', 'date'],
      ['next_follow_up', 'date'],
      ['dropped_on', 'date'],
      ['drop_reason', 'text'],
      ['project_id', 'integer'],
    ],
  },
  // 观摩: the demo's tours, their stops, criteria, judges and scores.
  {
    table: 'tours',
    key: 'tours',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['name', 'text'],
      ['held_on', 'date'],
      ['scope', 'text'],
      ['city', 'text'],
      ['zone_id', 'integer'],
      ['status', 'text'],
      ['min_judges_for_trim', 'integer'],
      ['note', 'text'],
    ],
  },
  {
    table: 'tour_stops',
    key: 'tourStops',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['tour_id', 'integer'],
      ['project_id', 'integer'],
      ['stop_order', 'integer'],
      ['planned_time', 'time'],
      ['report_by', 'text'],
    ],
  },
  {
    table: 'tour_criteria',
    key: 'tourCriteria',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['tour_id', 'integer'],
      ['name', 'text'],
      ['weight', 'double precision'],
      ['max_score', 'double precision'],
      ['sort_order', 'integer'],
    ],
  },
  {
    table: 'tour_judges',
    key: 'tourJudges',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['tour_id', 'integer'],
      ['name', 'text'],
      ['sort_order', 'integer'],
    ],
  },
  {
    table: 'tour_scores',
    key: 'tourScores',
    columns: [
      ['tour_id', 'integer'],
      ['judge_id', 'integer'],
      ['project_id', 'integer'],
      ['criterion_id', 'integer'],
      ['score', 'double precision'],
    ],
  },
  // 开发区考核: the default scheme as version 1, zone types, 2026 targets, manual values.
  {
    table: 'evaluation_schemes',
    key: 'evaluationSchemes',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['version', 'integer'],
      ['name', 'text'],
      ['basis', 'text'],
      ['note', 'text'],
    ],
  },
  {
    table: 'evaluation_indicators',
    key: 'evaluationIndicators',
    columns: [
      ['scheme_id', 'integer'],
      ['key', 'text'],
      ['sort_order', 'integer'],
      ['name_zh', 'text'],
      ['name_en', 'text'],
      ['unit', 'text'],
      ['source', 'text'],
      ['kind', 'text'],
      ['direction', 'text'],
      ['weight_industrial', 'double precision'],
      ['weight_other', 'double precision'],
      ['rule_type', 'text'],
      ['rule_params', 'jsonb'],
    ],
  },
  {
    table: 'evaluation_class_thresholds',
    key: 'evaluationThresholds',
    columns: [
      ['scheme_id', 'integer'],
      ['class', 'text'],
      ['min_score', 'double precision'],
    ],
  },
  {
    table: 'evaluation_zone_types',
    key: 'evaluationZoneTypes',
    columns: [
      ['zone_id', 'integer'],
      ['zone_type', 'text'],
    ],
  },
  {
    table: 'evaluation_targets',
    key: 'evaluationTargets',
    columns: [
      ['zone_id', 'integer'],
      ['year', 'integer'],
      ['indicator_key', 'text'],
      ['target', 'double precision'],
    ],
  },
  {
    table: 'evaluation_manual_values',
    key: 'evaluationValues',
    columns: [
      ['zone_id', 'integer'],
      ['month', 'date'],
      ['indicator_key', 'text'],
      ['value', 'double precision'],
    ],
  },
  // 前期手续: the catalogue, the projects' items and people, the problem list (data/serviceDemo.ts).
  {
    table: 'service_items',
    key: 'serviceItems',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['name', 'text'],
      ['department', 'text'],
      ['limit_working_days', 'integer'],
      ['may_commit', 'boolean'],
      ['required_before_start', 'boolean'],
      ['sort_order', 'integer'],
    ],
  },
  {
    table: 'project_service_items',
    key: 'projectServiceItems',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['project_id', 'integer'],
      ['item_id', 'integer'],
      ['state', 'text'],
      ['accepted_on', 'date'],
      ['started_on', 'date'],
      ['done_on', 'date'],
      ['agent_name', 'text'],
      ['committed', 'boolean'],
      ['document_no', 'text'],
    ],
  },
  {
    table: 'project_people',
    key: 'projectPeople',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['project_id', 'integer'],
      ['role', 'text'],
      ['name', 'text'],
      ['title', 'text'],
      ['phone', 'text'],
    ],
  },
  {
    table: 'project_problems',
    key: 'projectProblems',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['project_id', 'integer'],
      ['kind', 'text'],
      ['title', 'text'],
      ['detail', 'text'],
      ['department', 'text'],
      ['assignee_name', 'text'],
      ['raised_by_name', 'text'],
      ['raised_on', 'date'],
      ['due_on', 'date'],
      ['level', 'text'],
      ['status', 'text'],
      ['answer', 'text'],
      ['answered_on', 'date'],
      ['closed_on', 'date'],
    ],
  },
  // 标准地 transfers and their acceptance checks, supply targets, factory leases.
  {
    table: 'land_transfers',
    key: 'transfers',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['parcel_id', 'integer'],
      ['zone_id', 'integer'],
      ['transferred_on', 'date'],
      ['contract_no', 'text'],
      ['enterprise_id', 'integer'],
      ['enterprise_name', 'text'],
      ['price_wan', 'double precision'],
      ['area_mu', 'double precision'],
      ['agreed', 'jsonb'],
    ],
  },
  {
    table: 'transfer_acceptances',
    key: 'acceptances',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['transfer_id', 'integer'],
      ['kind', 'text'],
      ['accepted_on', 'date'],
      ['actual', 'jsonb'],
      ['results', 'jsonb'],
      ['overall_met', 'boolean'],
      ['consequence', 'text'],
      ['penalty_wan', 'double precision'],
      ['correction_deadline', 'date'],
      ['follow_up_status', 'text'],
      ['follow_up_note', 'text'],
    ],
  },
  {
    table: 'supply_targets',
    key: 'supplyTargets',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['year', 'integer'],
      ['zone_id', 'integer'],
      ['city', 'text'],
      ['reserve_target_mu', 'double precision'],
      ['supply_target_mu', 'double precision'],
      ['new_factory_target_m2', 'double precision'],
      ['factory_use_target_pct', 'double precision'],
    ],
  },
  {
    table: 'factory_leases',
    key: 'leases',
    serial: true,
    columns: [
      ['id', 'integer'],
      ['building_id', 'integer'],
      ['enterprise_id', 'integer'],
      ['tenant_name', 'text'],
      ['leased_area_m2', 'double precision'],
      ['start_date', 'date'],
      ['end_date', 'date'],
    ],
  },
];

/** Demo values set on rows other tables' generators made (completion years, 规上 since, 入库 dates). Static SQL. */
const UPDATES: { key: keyof Dataset; sql: string }[] = [
  {
    key: 'projectChainLinks',
    sql: 'UPDATE projects p SET chain_link_id = r.chain_link_id FROM json_to_recordset($1::json) AS r(id integer, chain_link_id integer) WHERE p.id = r.id',
  },
  {
    key: 'buildingYears',
    sql: 'UPDATE factory_buildings b SET completed_year = r.completed_year FROM json_to_recordset($1::json) AS r(id integer, completed_year integer) WHERE b.id = r.id',
  },
  {
    key: 'aboveScaleSince',
    sql: 'UPDATE enterprises e SET above_scale_since = r.above_scale_since FROM json_to_recordset($1::json) AS r(id integer, above_scale_since integer) WHERE e.id = r.id',
  },
  {
    key: 'projectRegistrations',
    sql: 'UPDATE projects p SET stats_registered = true, stats_registered_on = r.stats_registered_on FROM json_to_recordset($1::json) AS r(id integer, stats_registered_on date) WHERE p.id = r.id',
  },
];

const BATCH = 1000;

function insertSql(table: string, columns: Column[]): string {
  const names = columns.map(([n]) => n).join(', ');
  const select = columns.map(([n, t]) => (t === 'geometry' ? `ST_SetSRID(ST_GeomFromGeoJSON(r.${n}), 4326)` : `r.${n}`)).join(', ');
  const recordType = columns.map(([n, t]) => `${n} ${t === 'geometry' ? 'json' : t}`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${select} FROM json_to_recordset($1::json) AS r(${recordType})`;
}

export async function seedDataset(db: Db, data: Dataset, onProgress?: (table: string, done: number, total: number) => void): Promise<void> {
  await db.transaction(async (tx: Queryable) => {
    for (const { table, key, columns, serial } of TABLES) {
      const rows = data[key] as unknown as Record<string, unknown>[];
      const sql = insertSql(table, columns);
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx.query(sql, [JSON.stringify(rows.slice(i, i + BATCH))]);
        onProgress?.(table, Math.min(i + BATCH, rows.length), rows.length);
      }
      if (serial) {
        await tx.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
      }
    }
    for (const { key, sql } of UPDATES) {
      const rows = (data[key] ?? []) as unknown as Record<string, unknown>[];
      for (let i = 0; i < rows.length; i += BATCH) await tx.query(sql, [JSON.stringify(rows.slice(i, i + BATCH))]);
    }
    // Whether the data is the demo is a fact kept with the data: the app prints "示意" only on the demo.
    await markDemoData(tx, data.asOf);
  });
}

/** The key of the settings row saying what the data is (absent: the operator's own data). */
export const DATASET_SETTING = 'dataset';

export interface DatasetFact {
  demo: true;
  /** The date the demo's lifecycle dates are anchored on. */
  asOf: string;
  /** Geometry generated near the real towns, not the real boundaries. */
  illustrative: true;
}

export async function markDemoData(db: Queryable, asOf: string): Promise<void> {
  const fact: DatasetFact = { demo: true, asOf, illustrative: true };
  await db.query(
    `INSERT INTO settings (key, value, version) VALUES ($1, $2::jsonb, 1)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [DATASET_SETTING, JSON.stringify(fact)],
  );
}

/** True when the database has no zones yet (a fresh database to fill with the demo). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM zones');
  return row.n === 0;
}
