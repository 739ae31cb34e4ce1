/**
 * The server's errors in the reader's language. The API's `message` is English (for API users); known codes
 * are told here in Chinese from their structured details, and field errors carry both languages.
 */
import type { ApiError } from './api.ts';

export function errorText(err: ApiError | { code?: string; message: string; details?: any }, lang: 'zh' | 'en'): string {
  if (lang === 'en') return err.message;
  const d = err.details ?? {};
  switch (err.code) {
    case 'bad_credentials':
      return err.message.includes('current password') ? '当前密码错误。' : '用户名或密码错误。';
    case 'too_many_attempts':
      return '登录失败次数过多，请稍后再试。';
    case 'unauthorized':
      return '请先登录。';
    case 'forbidden':
      // A refusal that says itself in Chinese (e.g. whose shortlist it is) is shown as it is.
      if (/[\u4e00-\u9fff]/.test(err.message)) return err.message;
      if (err.message.includes('zones you are assigned')) return '您只能编辑分配给您的园区。';
      if (err.message.includes('Cross-site') || err.message.includes('CSRF')) return '请求被拒绝：请刷新页面后重试。';
      return '您的角色不允许此操作。';
    case 'conflict':
      return '该记录在您打开后已被他人修改，本次未保存任何内容；请查看对方的修改后重新保存。';
    case 'invalid_geometry':
      return `图形无效（${d.reason ?? '自相交'}）。可接受自动修复后保存。`;
    case 'outside_zone':
      return `地块有 ${Number(d.outside_zone_m2 ?? 0).toFixed(1)} m² 超出园区范围：地块必须位于园区内。`;
    case 'overlaps':
      return `与 ${(d.overlaps ?? []).map((o: { code: string; overlap_m2: number }) => `${o.code}（${o.overlap_m2.toFixed(1)} m²）`).join('、')} 重叠。请调整，或确认接受重叠后保存。`;
    case 'no_split':
      return '分割线没有把地块分成两块：请从地块外一侧画到另一侧。';
    case 'sliver':
      return '分割后会留下不足 1 m² 的碎片，请重画分割线。';
    case 'not_adjacent':
      return '这些地块没有公共边界：只能合并相邻地块。';
    case 'different_zones':
      return '只能合并同一园区内的地块。';
    case 'duplicate':
      return err.message.includes('username') ? '用户名已被占用。' : '该编号在本园区已存在。';
    case 'parcels_outside':
      return `新边界会把以下地块留在园区外：${(d.parcels ?? []).join('、')}。请先移动或删除这些地块。`;
    case 'not_found':
      return '记录不存在（可能已被合并或删除）。';
    case 'bad_request':
      if (Array.isArray(d.fields) && d.fields.length)
        return d.fields.map((f: { field: string; message_zh: string }) => `${f.field}：${f.message_zh}`).join(' ');
      return err.message;
    default:
      // Import errors (and others that can) carry their own Chinese text.
      return typeof d.message_zh === 'string' ? d.message_zh : err.message;
  }
}
