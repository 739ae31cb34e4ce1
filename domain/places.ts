/**
 * English names of Shanxi's cities and of the counties and districts that have zones (pinyin, as official
 * English texts write them), for the English mode. A name not listed is shown as it is.
 */
export const SHANXI_PLACE_NAMES_EN: Readonly<Record<string, string>> = {
  山西省: 'Shanxi',
  太原市: 'Taiyuan',
  大同市: 'Datong',
  阳泉市: 'Yangquan',
  长治市: 'Changzhi',
  晋城市: 'Jincheng',
  朔州市: 'Shuozhou',
  晋中市: 'Jinzhong',
  运城市: 'Yuncheng',
  忻州市: 'Xinzhou',
  临汾市: 'Linfen',
  吕梁市: 'Lüliang',
  小店区: 'Xiaodian District',
  榆次区: 'Yuci District',
  太谷区: 'Taigu District',
  榆社县: 'Yushe County',
  祁县: 'Qi County',
  寿阳县: 'Shouyang County',
  左权县: 'Zuoquan County',
  郊区: 'Jiaoqu District',
  平定县: 'Pingding County',
  盂县: 'Yu County',
  平城区: 'Pingcheng District',
  左云县: 'Zuoyun County',
  新荣区: 'Xinrong District',
  云冈区: 'Yungang District',
  广灵县: 'Guangling County',
  朔城区: 'Shuocheng District',
  平鲁区: 'Pinglu District',
  怀仁市: 'Huairen',
  山阴县: 'Shanyin County',
  应县: 'Ying County',
  右玉县: 'Youyu County',
  交城县: 'Jiaocheng County',
  尧都区: 'Yaodu District',
  盐湖区: 'Yanhu District',
  陵川县: 'Lingchuan County',
};

/** A city's or county's name in the language asked for. */
export function placeName(name: string, lang: 'zh' | 'en'): string {
  return lang === 'en' ? (SHANXI_PLACE_NAMES_EN[name] ?? name) : name;
}
