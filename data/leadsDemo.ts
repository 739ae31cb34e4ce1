/**
 * Demo 招商 data: the province's key chains with their links (upstream → downstream), the demo firms placed
 * on the links they name (the largest one per chain as its 链主), a year of promotion events, and leads at
 * every stage — some dropped, some signed and linked to the demo's signed projects. Deterministic from the seed.
 * Leaders are titles, not names: the demo must not put words in real officials' mouths.
 */
import { INDUSTRY_CHAINS, chainsMentionedIn } from '../domain/industries.ts';
import { DEFAULT_LEAD_SOURCES, DROP_REASONS, LEAD_STAGE_KEYS } from '../domain/leads.ts';
import type { EnterpriseRow, ProjectRow, ZoneRow } from './generator.ts';

export interface ChainRow {
  id: number;
  key: string;
  name: string;
  name_en: string;
  /** 链长's name: none in the demo (titles only). */
  leader: string | null;
  leader_post: string;
}
export interface ChainLinkRow {
  id: number;
  chain_id: number;
  position: 'upstream' | 'midstream' | 'downstream';
  name: string;
  sort_order: number;
}
export interface ChainLinkEnterpriseRow {
  link_id: number;
  enterprise_id: number;
  chain_owner: boolean;
}
export interface EventRow {
  id: number;
  name: string;
  kind: string;
  held_on: string;
  place: string;
  organiser: string;
  zone_id: number | null;
  city: string | null;
  agreements_signed: number;
}
export interface LeadRow {
  id: number;
  zone_id: number;
  investor_name: string;
  investor_origin: string;
  project_name: string;
  industry: string;
  chain_link_id: number | null;
  planned_investment_wan: number;
  land_need_min_mu: number;
  land_need_max_mu: number;
  source: string;
  event_id: number | null;
  leader: string;
  contact_name: string;
  contact_phone: string;
  stage: string;
  lead_date: string;
  contact_date: string | null;
  visit_date: string | null;
  negotiation_date: string | null;
  intent_date: string | null;
  signed_date: string | null;
  next_follow_up: string | null;
  dropped_on: string | null;
  drop_reason: string | null;
  project_id: number | null;
}

export interface LeadsDemo {
  chains: ChainRow[];
  chainLinks: ChainLinkRow[];
  chainLinkEnterprises: ChainLinkEnterpriseRow[];
  /** Projects' links, set after the chains are loaded (projects go in first). */
  projectChainLinks: { id: number; chain_link_id: number }[];
  events: EventRow[];
  leads: LeadRow[];
}

/** Links of the chains the demo zones lead in; the rest get raw materials → parts → products. */
const LINKS: Record<string, [string, string, string]> = {
  battery: ['正极、负极材料与电解液', '电芯制造', '电池包与回收利用'],
  storage: ['储能电芯', '储能变流器与系统集成', '储能电站运营'],
  photovoltaic: ['多晶硅与硅片', '电池片与组件', '光伏电站与运维'],
  hydrogen: ['制氢', '储运与加氢', '燃料电池与整车应用'],
  nev: ['关键零部件', '整车制造', '充换电与后市场'],
  semiconductor: ['衬底与外延', '芯片制造与封测', '器件与模组应用'],
  special_steel: ['铁矿与冶炼', '特钢冶炼与轧制', '高端钢材制品'],
  carbon_materials: ['煤焦油与沥青', '针状焦与碳纤维', '锂电负极与复合材料'],
  biomedicine: ['原料药与中药材', '制剂与生物药', '医药流通与医疗器械'],
  big_data: ['算力基础设施', '数据处理与平台', '行业应用'],
};

const ORIGINS = ['北京', '上海', '深圳', '江苏', '浙江', '广东', '山东', '河北', '天津', '香港'];
const INVESTOR_WORDS = ['新能', '宏远', '晶锐', '华晟', '中科', '恒达', '瑞丰', '汇川', '联创', '博远', '国泰', '明阳', '天合', '启元', '金石', '鼎盛'];
const SUFFIX = ['科技有限公司', '新能源有限公司', '集团股份有限公司', '材料有限公司', '实业有限公司'];

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function generateLeadsDemo(
  rnd: { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T },
  zones: ZoneRow[],
  enterprises: EnterpriseRow[],
  firmZones: ReadonlyMap<number, number>,
  projects: ProjectRow[],
  asOf: string,
): LeadsDemo {
  const chains: ChainRow[] = INDUSTRY_CHAINS.map((c, i) => ({ id: i + 1, key: c.key, name: c.zh, name_en: c.en, leader: null, leader_post: '分管副省长' }));
  const chainLinks: ChainLinkRow[] = [];
  for (const chain of chains) {
    const names = LINKS[chain.key] ?? ['原材料', '零部件与中间品', '终端产品与应用'];
    (['upstream', 'midstream', 'downstream'] as const).forEach((position, i) =>
      chainLinks.push({ id: chainLinks.length + 1, chain_id: chain.id, position, name: names[i], sort_order: i }),
    );
  }
  // Four quarters of events: one a month, by turns in the zones' cities.
  const events: EventRow[] = [];
  for (let m = 0; m < 12; m++) {
    const zone = zones[(m * 7) % zones.length];
    const heldOn = addDays(asOf, -30 * m - rnd.int(0, 20));
    const kind = rnd.pick(['promotion', 'matchmaking', 'outbound'] as const);
    events.push({
      id: m + 1,
      name: kind === 'outbound' ? `${zone.city}赴${rnd.pick(ORIGINS)}招商推介` : `${zone.name}${kind === 'promotion' ? '产业推介会' : '项目对接会'}`,
      kind,
      held_on: heldOn,
      place: kind === 'outbound' ? rnd.pick(ORIGINS) : zone.city,
      organiser: `${zone.name}管委会`,
      zone_id: zone.id,
      city: zone.city,
      agreements_signed: rnd.int(0, 4),
    });
  }

  const signedProjects = projects.filter((p) => p.stage === 'signed');
  const leads: LeadRow[] = [];
  const stages = LEAD_STAGE_KEYS;
  for (let i = 0; i < 90; i++) {
    const zone = zones[i % zones.length];
    const zoneChains = chainsMentionedIn(zone.leading_industry);
    const chain = zoneChains.length ? rnd.pick(zoneChains) : rnd.pick(INDUSTRY_CHAINS);
    const link = chainLinks.find((l) => l.chain_id === chains.find((c) => c.key === chain.key)!.id && l.sort_order === rnd.int(0, 2)) ?? null;
    const leadDate = addDays(asOf, -rnd.int(5, 420));
    // How far it got: most stop early, a few sign.
    const reach = Math.min(5, Math.floor(rnd.next() ** 1.6 * 6));
    const dates: Record<string, string | null> = {};
    let d = leadDate;
    for (let s = 0; s < stages.length; s++) {
      if (s === 0 || (s <= reach && !(s === 2 && rnd.next() < 0.2))) {
        if (s > 0) d = addDays(d, rnd.int(4, 40));
        dates[stages[s]] = d <= asOf ? d : null;
      } else dates[stages[s]] = null;
    }
    const signedProject = dates.signed ? signedProjects.find((p) => p.zone_id === zone.id && !leads.some((l) => l.project_id === p.id)) : undefined;
    if (dates.signed && !signedProject) dates.signed = null;
    const furthest = [...stages].reverse().find((s) => dates[s]) ?? 'lead';
    const dropped = !dates.signed && rnd.next() < 0.15;
    const investment = Math.round((rnd.next() < 0.15 ? rnd.int(100_000, 500_000) : rnd.int(3_000, 90_000)) / 100) * 100;
    const minMu = rnd.int(20, 150);
    const droppedOn = dropped ? addDays(dates[furthest]!, rnd.int(5, 30)) : null;
    leads.push({
      id: i + 1,
      zone_id: zone.id,
      investor_name: `${rnd.pick(ORIGINS)}${rnd.pick(INVESTOR_WORDS)}${rnd.pick(SUFFIX)}`,
      investor_origin: rnd.pick(ORIGINS),
      project_name: signedProject?.name ?? `${chain.zh}${rnd.pick(['生产基地', '产业园', '一期项目', '扩能项目', '研发制造中心'])}`,
      industry: chain.zh,
      chain_link_id: link?.id ?? null,
      planned_investment_wan: signedProject?.total_investment_wan ?? investment,
      land_need_min_mu: minMu,
      land_need_max_mu: minMu + rnd.int(10, 120),
      source: rnd.pick(DEFAULT_LEAD_SOURCES).key,
      event_id: rnd.next() < 0.3 ? rnd.pick(events).id : null,
      leader: rnd.pick(['管委会主任', '分管副主任', '招商局局长']),
      contact_name: `${rnd.pick(['王', '李', '张', '刘', '陈', '杨', '赵'])}${rnd.pick(['经理', '总', '主任'])}`,
      contact_phone: `139${String(rnd.int(10_000_000, 99_999_999))}`,
      stage: furthest,
      lead_date: leadDate,
      contact_date: dates.contact,
      visit_date: dates.visit,
      negotiation_date: dates.negotiation,
      intent_date: dates.intent,
      signed_date: dates.signed,
      next_follow_up: dates.signed || dropped ? null : addDays(asOf, rnd.int(-20, 30)),
      dropped_on: droppedOn && droppedOn > asOf ? asOf : droppedOn,
      drop_reason: dropped ? rnd.pick(DROP_REASONS).key : null,
      project_id: signedProject?.id ?? null,
    });
  }
  const placed = placeOnChains(zones, chains, chainLinks, enterprises, firmZones, projects, leads);
  return { chains, chainLinks, ...placed, events, leads };
}

/** The chain an enterprise's or project's industry names; two the taxonomy's synonyms miss are mapped here. */
const EXTRA_CHAIN: Record<string, string> = { 电子信息: 'semiconductor', 信息技术: 'big_data' };
/** Where a firm or project sits by its industry outside the chain's home cities (default: midstream). */
const NATURAL_POSITION: Record<string, ChainLinkRow['position']> = { 锂电材料: 'upstream', 汽车零部件: 'upstream', 电子信息: 'downstream' };
/** The picture per home city of a chain, by turns: a weak link has only projects, a missing one only a lead. */
const HOME_PICTURES = [
  { gap: null, status: 'present' },
  { gap: 'downstream', status: 'weak' },
  { gap: null, status: 'present' },
  { gap: 'upstream', status: 'missing' },
] as const;

/**
 * Firms, projects and leads on the chains' links. In a chain's home cities (the cities of the zones whose
 * leading industries name it) its firms spread over all three links, the first on the midstream link being
 * the city's 链主, except that by turns one link is weak (only a project or two) or missing (nothing but a
 * lead that would fill it). Elsewhere a firm or project sits on the link its industry names (materials and
 * parts upstream, most midstream), so the other links there are missing. A signed lead keeps its project's link.
 */
function placeOnChains(
  zones: ZoneRow[],
  chains: ChainRow[],
  chainLinks: ChainLinkRow[],
  enterprises: EnterpriseRow[],
  firmZones: ReadonlyMap<number, number>,
  projects: ProjectRow[],
  leads: LeadRow[],
): { chainLinkEnterprises: ChainLinkEnterpriseRow[]; projectChainLinks: { id: number; chain_link_id: number }[] } {
  const cityOf = new Map(zones.map((z) => [z.id, z.city]));
  const chainOf = (industry: string) => {
    const key = EXTRA_CHAIN[industry] ?? chainsMentionedIn(industry)[0]?.key;
    return key ? chains.find((c) => c.key === key) : undefined;
  };
  const linkAt = (chainId: number, position: ChainLinkRow['position']) => chainLinks.find((l) => l.chain_id === chainId && l.position === position)!;
  // Home cities in zone order; each (chain, home city) gets the next picture.
  const pictures = new Map<string, (typeof HOME_PICTURES)[number]>();
  for (const chain of chains)
    for (const zone of zones)
      if (chainsMentionedIn(zone.leading_industry).some((c) => c.key === chain.key) && !pictures.has(`${chain.id}|${zone.city}`))
        pictures.set(`${chain.id}|${zone.city}`, HOME_PICTURES[pictures.size % HOME_PICTURES.length]);

  const chainLinkEnterprises: ChainLinkEnterpriseRow[] = [];
  const projectChainLinks: { id: number; chain_link_id: number }[] = [];
  // Links that have something of a city ('link|city'), and the links with a 链主 there.
  const taken = new Set<string>();
  const owned = new Set<string>();
  const turns = new Map<string, number>();
  const nextTurn = (key: string) => {
    const n = turns.get(key) ?? 0;
    turns.set(key, n + 1);
    return n;
  };
  /** The link for the n-th firm or project of a home city: round the links that are not the gap. */
  const homeLink = (chainId: number, gap: string | null, n: number) => {
    const open = chainLinks.filter((l) => l.chain_id === chainId && l.position !== gap);
    return open[n % open.length];
  };

  // Projects first: a weak link takes a home city's first two projects.
  for (const p of projects) {
    const chain = chainOf(p.industry_chain);
    if (!chain) continue;
    const key = `${chain.id}|${cityOf.get(p.zone_id)}`;
    const picture = pictures.get(key);
    let link: ChainLinkRow;
    if (!picture) link = linkAt(chain.id, NATURAL_POSITION[p.industry_chain] ?? 'midstream');
    else {
      const n = nextTurn(`project|${key}`);
      link = picture.status === 'weak' && n < 2 ? linkAt(chain.id, picture.gap!) : homeLink(chain.id, picture.gap, n);
    }
    projectChainLinks.push({ id: p.id, chain_link_id: link.id });
    taken.add(`${link.id}|${cityOf.get(p.zone_id)}`);
  }

  for (const e of enterprises) {
    const chain = chainOf(e.industry);
    const zoneId = firmZones.get(e.id);
    if (!chain || zoneId === undefined) continue;
    const key = `${chain.id}|${cityOf.get(zoneId)}`;
    const picture = pictures.get(key);
    if (!picture) {
      chainLinkEnterprises.push({ link_id: linkAt(chain.id, NATURAL_POSITION[e.industry] ?? 'midstream').id, enterprise_id: e.id, chain_owner: false });
      continue;
    }
    const n = nextTurn(`firm|${key}`);
    // A weak link with no project of the city gets the city's first firm instead.
    const gapLink = picture.gap ? linkAt(chain.id, picture.gap) : null;
    const link = picture.status === 'weak' && n === 0 && !taken.has(`${gapLink!.id}|${cityOf.get(zoneId)}`) ? gapLink! : homeLink(chain.id, picture.gap, n);
    const owner = link.position === 'midstream' && !owned.has(key);
    if (owner) owned.add(key);
    chainLinkEnterprises.push({ link_id: link.id, enterprise_id: e.id, chain_owner: owner });
  }

  // A missing link of a home city: an open lead of the city would fill it.
  for (const [key, picture] of pictures) {
    if (picture.status !== 'missing') continue;
    const [chainId, city] = [Number(key.split('|')[0]), key.split('|')[1]];
    const lead = leads.find(
      (l) => cityOf.get(l.zone_id) === city && !l.signed_date && !l.dropped_on && chainLinks.find((cl) => cl.id === l.chain_link_id)?.chain_id === chainId,
    );
    if (lead) lead.chain_link_id = linkAt(chainId, picture.gap!).id;
  }
  // A signed lead sits where its project does.
  const projectLink = new Map(projectChainLinks.map((p) => [p.id, p.chain_link_id]));
  for (const l of leads) if (l.project_id && projectLink.has(l.project_id)) l.chain_link_id = projectLink.get(l.project_id)!;
  return { chainLinkEnterprises, projectChainLinks };
}
